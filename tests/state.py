"""The reader's state for a public page (`/me/state/`), as static/js/minbar.js reads it."""

from __future__ import annotations

from django.urls import reverse


def reader_state(client, article=None, **params) -> dict:
    query = {**({"article": article.pk} if article is not None else {}), **params}
    response = client.get(reverse("serving:state"), query)
    assert response.status_code == 200, response.status_code
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    return response.json()


def state_form(client, article) -> str:
    """The comment form the reader's state offers on the article ("" when none)."""
    return reader_state(client, article).get("discussion", {}).get("form", "")


def shows_form(client, article) -> bool:
    return 'id="comment-form"' in state_form(client, article)
