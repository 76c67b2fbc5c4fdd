"""The search page: parse the form and the query, search, respond. Always a page, never a 500:
bad filters answer 400 with the reason, queries with nothing to look for explain why."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minbar.core.formatting import format_count
from minbar.search import policy, selectors
from minbar.search.forms import SearchForm
from minbar.search.query import parse_query
from minbar.serving.middleware import public_page

TEMPLATE = "search/search_results.html"


@public_page
def results(request: HttpRequest) -> HttpResponse:
    sections = selectors.list_sections()
    if not request.GET:
        return render(request, TEMPLATE, {"form": SearchForm(), "sections": sections})
    form = SearchForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "sections": sections, "notes": _notes(form)}
        return render(request, TEMPLATE, context, status=400)
    data = form.cleaned_data
    extra = selectors.get_protected_words()
    query = parse_query(data["q"], extra_protected=extra)
    found = selectors.search(
        query=query,
        filters=selectors.Filters(
            section=data["section"], date_from=data["from"], date_to=data["to"]
        ),
        sort=data["sort"],
        show=data["show"],
        page=request.GET.get("page", "1"),
        extra_protected=extra,
        comments_if_no_articles="show" not in request.GET,
    )
    context = {
        "form": form,
        "sections": sections,
        "query": query,
        "problem": query.problem.value if query.problem else "",
        "results": found,
        "heading": _results_heading(found) if query.is_searchable else "",
        "notes": _notes(form, dropped=query.dropped),
        "has_filters": bool(data["section"] or data["from"] or data["to"]),
        **_links(request),
    }
    if found.showing_comments_instead:  # the next pages show the comments too
        context["extra_query"] = context["comments_query"]
    if found.suggestion:
        context["suggestion_link"] = _suggestion_link(request, found.suggestion)
    return render(request, TEMPLATE, context)


def _notes(form: SearchForm, *, dropped: int = 0) -> list[str]:
    notes = []
    if form.was_shortened:
        notes.append(
            _("Your search was cut to its first %(count)s characters.")
            % {"count": format_count(policy.MAX_QUERY_LENGTH)}
        )
    if dropped:
        notes.append(
            _("Only the first %(count)s words and phrases of your search were used.")
            % {"count": format_count(policy.MAX_CLAUSES)}
        )
    return notes


def _results_heading(found: selectors.Results) -> str:
    count = found.count
    if found.count_is_capped:
        return ngettext("More than %(count)s result", "More than %(count)s results", count) % {
            "count": format_count(count)
        }
    return ngettext("%(count)s result", "%(count)s results", count) % {"count": format_count(count)}


def _suggestion_link(request: HttpRequest, suggestion: str) -> str:
    """A link to the same search, filters kept, for the suggested spelling."""
    params = request.GET.copy()
    params.pop("page", None)
    params["q"] = suggestion
    return format_html(
        '<a href="?{}" data-suggestion><bdi>{}</bdi></a>', params.urlencode(), suggestion
    )


def _links(request: HttpRequest) -> dict[str, str]:
    """Query strings for pagination and the articles/comments tabs, keeping the filters."""
    base = request.GET.copy()
    base.pop("page", None)
    tabs = {}
    for show in selectors.SHOWS:
        tab = base.copy()
        tab["show"] = show
        tabs[f"{show}_query"] = tab.urlencode()
    return {"extra_query": base.urlencode(), **tabs}
