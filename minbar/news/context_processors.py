from functools import partial

from minbar.news.selectors import list_sections


def navigation(request):
    # Lazy: pages that never show the navigation (errors, feeds) never run the query.
    return {"nav_sections": partial(list_sections)}
