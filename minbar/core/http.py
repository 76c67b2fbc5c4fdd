"""HTTP helpers shared by the apps' views."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.translation import gettext as _


def paginate(request, items, *, per_page: int) -> Page:
    """The page named by `?page=` (a number, or `last`); anything but a page that exists is a
    404, never a 500."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    raw = request.GET.get("page", "1")
    if raw == "last":
        raw = paginator.num_pages
    try:
        return paginator.page(raw)
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404(_("There is no such page.")) from exc
