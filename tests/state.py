"""The reader's state for a public page (`/me/state/`), as static/js/minbar.js reads it."""

from __future__ import annotations

from django.urls import reverse


def reader_state(client, article=None, **params) -> dict:
    query = {**({"article": article.pk} if article is not None else {}), **params}
    response = client.get(reverse("serving:state"), query)
    assert response.status_code == 200, response.status_code
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    return response.json()


def shows_form(client, article) -> bool:
    """Whether the article page offers this reader the comment form: the page carries it inert
    (a <template>), and minbar.js puts it in place when the reader's state says they may post."""
    page = client.get(article.get_absolute_url()).content.decode()
    template = '<template id="comment-form-template">' in page
    state = reader_state(client, article).get("discussion", {})
    return template and state.get("posting", {}).get("may_post", False)
