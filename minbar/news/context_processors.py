from minbar.news.selectors import list_sections


def navigation(request):
    """The sections for the header, read at most once per request and only if a page shows them
    (errors and feeds never do)."""

    def sections():
        found = getattr(request, "_minbar_nav_sections", None)
        if found is None:
            found = request._minbar_nav_sections = list_sections()
        return found

    return {"nav_sections": sections}
