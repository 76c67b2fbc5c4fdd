"""Search through HTTP, the way a reader does, and read the hits off the page."""

from __future__ import annotations

from tests.search.conftest import page_of


def search(client, q: str, **params):
    return client.get("/search/", {"q": q, **params})


def found_articles(client, q: str, **params) -> list[int]:
    response = search(client, q, **params)
    assert response.status_code == 200, response.content.decode()[:500]
    return page_of(response).articles


def all_found_articles(client, q: str, **params) -> list[int]:
    """The article hits of every page of results."""
    found, number = [], 1
    while True:
        response = search(client, q, page=number, **params)
        assert response.status_code == 200, response.content.decode()[:500]
        page = page_of(response)
        found += page.articles
        if not any(f"page={number + 1}" in link for link in page.links):
            return found
        number += 1


def found_comments(client, q: str, **params) -> list[int]:
    response = search(client, q, show="comments", **params)
    assert response.status_code == 200, response.content.decode()[:500]
    return page_of(response).comments
