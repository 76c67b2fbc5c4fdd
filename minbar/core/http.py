"""HTTP helpers shared by the apps' views."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.core.paginator import EmptyPage, Page, Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.utils.translation import gettext as _

from minbar.core.errors import Refusal

# Digits a reader may type for a page number: ASCII, Arabic-Indic and Persian. A page named in
# the last two is sent to its ASCII spelling; any other character (superscripts, circled or
# full-width digits, signs, dots) names no page.
_PAGE_DIGITS = {
    **{str(i): str(i) for i in range(10)},
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
}
# More digits than any list will ever have pages: refused before any arithmetic.
_PAGE_DIGITS_MAX = 6


def canonical_page(raw: str) -> str | None:
    """The one spelling of the page `raw` names: None for the first page (no `?page=`),
    "last", or a number in ASCII digits without leading zeros. Http404 when it names no page.

    >>> canonical_page("٠٣"), canonical_page("001"), canonical_page("last")
    ('3', None, 'last')
    """
    if raw == "last":
        return raw
    if not raw or len(raw) > _PAGE_DIGITS_MAX or any(c not in _PAGE_DIGITS for c in raw):
        raise Http404(_("There is no such page."))
    number = int("".join(_PAGE_DIGITS[c] for c in raw))
    if number < 1:
        raise Http404(_("There is no such page."))
    return None if number == 1 else str(number)


def redirect_to_canonical(
    request: HttpRequest, *, orders: Collection[str] = (), default_order: str = ""
) -> HttpResponsePermanentRedirect | None:
    """A permanent redirect when `?page=` or `?order=` is not spelt the one way this page
    spells it; None when it is. Http404 for a page number that names no page.

    Shared caches key pages by their query, so each spelling would be a page of its own: one
    spelling per page keeps the number of variants bounded. `?page=1` and the default order are
    left out; `?page=01` and `?page=٣` go to `?page=1`'s and `?page=3`'s address; an order the
    page does not know (every order, on a page without `orders`) is dropped; `order` comes
    before `page`, each once, percent-encoded one way. Other parameters (which make a page
    that is never shared) are left as they are.
    """
    pages = request.GET.getlist("page")
    given = request.GET.getlist("order")
    page = canonical_page(pages[-1]) if pages else None
    order = given[-1] if given else None
    if order not in orders or order == default_order:
        order = None
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("order", None)
    if order:
        query["order"] = order
    if page:
        query["page"] = page
    encoded = query.urlencode()
    if set(request.GET) <= {"page", "order"}:
        # A page the caches may share: its query is keyed as sent, so spell it exactly.
        canonical = request.META.get("QUERY_STRING", "") == encoded
    else:
        canonical = pages == ([page] if page else []) and given == ([order] if order else [])
    if canonical:
        return None
    return HttpResponsePermanentRedirect(f"{request.path}?{encoded}" if encoded else request.path)


def paginate(request: HttpRequest, items: Any, *, per_page: int) -> Page:
    """The page named by `?page=` (see `page_of`). Views that share their pages call
    `redirect_to_canonical` first, so only the one spelling of each page gets here."""
    return page_of(items, number=request.GET.get("page", "1"), per_page=per_page)


def page_of(items: Any, *, number: str, per_page: int) -> Page:
    """The page `number` names (a number in ASCII digits, or `last`); anything but a page that
    exists is a 404, never a 500."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    if number == "last":
        return paginator.page(paginator.num_pages)
    if not (number.isascii() and number.isdigit()) or len(number) > _PAGE_DIGITS_MAX:
        raise Http404(_("There is no such page."))
    try:
        return paginator.page(int(number))
    except EmptyPage as exc:
        raise Http404(_("There is no such page.")) from exc


# --- refusals --------------------------------------------------------------------------------


def wants_json(request: HttpRequest) -> bool:
    """A script (the page's own JavaScript, or anyone's) that asked for JSON."""
    return "application/json" in request.headers.get("Accept", "")


def with_retry_after(response: HttpResponseBase, refusal: Refusal) -> HttpResponseBase:
    """A rate-limited refusal tells machines when to come back."""
    if refusal.retry_after:
        response["Retry-After"] = str(refusal.retry_after)
    return response


def refusal_response(
    request: HttpRequest,
    refusal: Refusal,
    *,
    template: str,
    context: dict[str, Any],
    form: forms.BaseForm | None = None,
    fallback_field: str | None = None,
) -> HttpResponseBase:
    """The one way a refusal becomes a response.

    A script that asked for JSON gets `{"ok": false, "error": code, "message": …}`. A person
    gets `template` again, in their language, with the reason on the form field it is about
    (`fallback_field`, or above the form, when the refusal names none of the form's fields) and
    what they typed kept in the bound form. Both carry the refusal's 4xx status, and
    Retry-After when it says when to come back.
    """
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse(
            {"ok": False, "error": refusal.code, "message": refusal.message},
            status=refusal.status,
        )
    else:
        if form is not None:
            field = refusal.field if refusal.field in form.fields else fallback_field
            form.add_error(field, refusal.message)
        response = render(request, template, context, status=refusal.status)
    return with_retry_after(response, refusal)
