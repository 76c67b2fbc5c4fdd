"""An XSS corpus (tests/moderation/xss_corpus.py) posted as comments, display names, report texts,
rejection and ban reasons and word-list entries, then every page that shows them is parsed: no
script but our own, no event handler, no javascript:/data:/vbscript: URL, no frame, SVG, style,
object or embed. Each test also checks that the payloads did reach the page, so it cannot pass
by showing nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from minbar.discussion.models import Comment
from minbar.moderation.models import AuditEntry, WordListEntry
from tests.factories import make_comment
from tests.moderation.conftest import Tree, old_reader, page, post_comment
from tests.moderation.xss_corpus import PAYLOADS

pytestmark = pytest.mark.django_db

FORBIDDEN_TAGS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "style", "base",
    "portal", "template",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "background",
    "poster", "lowsrc", "dynsrc", "code", "codebase", "cite", "ping",
}  # fmt: skip
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


ICON_ATTRIBUTES = {"class", "aria-hidden", "focusable", "viewbox", "width", "height", "role"}
ICON_PARTS = {"path", "use", "g", "circle", "rect", "title", "line", "polyline"}


def _our_icon(element, tree) -> bool:
    """The site's own decorative icons (templates/includes): `<svg class="icon" aria-hidden>`
    with only drawing inside. Reader text never carries attributes, so it cannot pass as one."""
    if element["tag"] != "svg":
        return False
    values = dict(element["attrs"])
    if "icon" not in element["classes"] or values.get("aria-hidden") != "true":
        return False
    if set(values) - ICON_ATTRIBUTES:
        return False
    start = tree.elements.index(element)
    depth = len(element["parents"])
    for inner in tree.elements[start + 1 :]:
        if len(inner["parents"]) <= depth:
            break
        if inner["tag"] not in ICON_PARTS:
            return False
    return True


def problems_in(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    tree = page(response)
    found = []
    for element in tree.elements:
        tag, attrs, parents = element["tag"], element["attrs"], element["parents"]
        where = f"<{tag} {attrs}>"
        if tag == "script":
            values = dict(attrs)
            ours = (values.get("src") or "").startswith("/static/")
            # JSON data blocks (json_script, JSON-LD) are never executed.
            data = values.get("type") in {"application/json", "application/ld+json"}
            if not (ours or data):
                found.append(f"script {where}")
        # The site's own inert comment form (templates/discussion/_discussion.html): reader text
        # never carries attributes, so it cannot pass as it.
        ours = tag == "template" and attrs == [("id", "comment-form-template")]
        if tag in FORBIDDEN_TAGS and not _our_icon(element, tree) and not ours:
            found.append(f"forbidden tag {where}")
        if tag in {"link", "meta"} and "head" not in parents:
            found.append(f"{tag} outside head {where}")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"event handler {where}")
            if name == "style":
                found.append(f"style attribute {where}")
            if name in URL_ATTRIBUTES and value:
                scheme = _INVISIBLE.sub("", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:")):
                    found.append(f"dangerous url {where}")
    return found


def assert_inert(responses: dict[str, object]) -> None:
    report = {where: problems_in(response) for where, response in responses.items()}
    assert {where: p for where, p in report.items() if p} == {}


def texts(tree: Tree, tag: str, cls: str) -> list[str]:
    return [Tree.text_of(e) for e in tree.find(tag, cls=cls)]


def squash(text: str) -> str:
    return " ".join(text.split())


NAMES = [p for p in PAYLOADS if len(p) <= 60]


def test_corpus_is_big_enough():
    assert len(PAYLOADS) >= 50 and len(NAMES) >= 50


@pytest.fixture
def posted(client, article):
    """Every payload posted as a comment by a reader whose display name is a payload too."""
    authors = []
    for n, payload in enumerate(PAYLOADS):
        author = old_reader(f"xss_author_{n}")
        type(author).objects.filter(pk=author.pk).update(display_name=NAMES[n % len(NAMES)])
        author.refresh_from_db()
        client.force_login(author)
        response = post_comment(client, article, payload)
        assert response.status_code == 302, (payload, response.status_code)
        authors.append(author)
    client.logout()
    return authors


def test_payloads_are_inert_on_the_article_page_and_in_the_moderation_area(
    client, article, posted, moderator, staff
):
    # The article page: comments, names, the featured strip.
    anonymous = client.get(article.get_absolute_url())
    comments = list(Comment.objects.filter(article=article).order_by("pk"))
    client.force_login(moderator)
    for comment in comments[:5]:
        client.post(reverse("moderation:feature", args=[comment.pk]), {"featured": "1"})
    client.force_login(posted[0])
    signed_in = client.get(article.get_absolute_url())
    assert_inert({"anonymous": anonymous, "signed in": signed_in})
    tree = page(anonymous)
    assert len(tree.find("li", cls="comment")) == len(PAYLOADS)
    shown_names = {squash(t) for t in texts(tree, "bdi", "comment__author")}
    assert {squash(name) for name in NAMES} <= shown_names
    assert len(page(signed_in).find("li", cls="featured-comment")) == 5

    # Report texts, rejection and ban reasons, in the queues, the pages and the log.
    reporter = old_reader("xss_reporter")
    client.force_login(reporter)
    for comment, payload in zip(comments, PAYLOADS, strict=True):
        response = client.post(
            reverse("moderation:report", args=[comment.pk]), {"reason": "other", "text": payload}
        )
        assert response.status_code == 302, payload
    client.force_login(moderator)
    half = len(comments) // 2
    for comment, payload in zip(comments[:half], PAYLOADS[:half], strict=True):
        response = client.post(reverse("moderation:reject", args=[comment.pk]), {"reason": payload})
        assert response.status_code == 302, payload
    for author, payload in zip(posted[half : half + 10], PAYLOADS[half:], strict=False):
        response = client.post(reverse("moderation:ban", args=[author.pk]), {"reason": payload})
        assert response.status_code == 302, payload
    responses = {
        "reported": client.get(reverse("moderation:queue", args=["reported"])),
        "rejected": client.get(reverse("moderation:queue", args=["rejected"])),
        "comment": client.get(reverse("moderation:comment", args=[comments[0].pk])),
        "reader": client.get(reverse("moderation:reader", args=[posted[half].pk])),
    }
    client.force_login(reporter)
    responses["report page"] = client.get(reverse("moderation:report", args=[comments[-1].pk]))
    client.force_login(staff)
    responses["log"] = client.get(reverse("moderation:log"))
    assert_inert(responses)

    reported = page(responses["reported"])
    shown_reports = " ".join(Tree.text_of(e) for e in reported.find("ul", cls="mod-reports"))
    assert all(squash(p) in squash(shown_reports) for p in PAYLOADS[half:])
    rejected = " ".join(texts(page(responses["rejected"]), "p", "mod-card__decision"))
    assert all(squash(p) in squash(rejected) for p in PAYLOADS[:half])
    log = " ".join(texts(page(responses["log"]), "p", "mod-log__why"))
    assert all(squash(p) in squash(log) for p in PAYLOADS[:half])
    assert AuditEntry.objects.filter(action="ban").count() == 10


def test_payloads_are_inert_in_the_pending_queue_and_on_profiles(client, article, moderator):
    authors = []
    for n, payload in enumerate(PAYLOADS):
        author = old_reader(f"xss_pending_{n}")
        type(author).objects.filter(pk=author.pk).update(display_name=NAMES[n % len(NAMES)])
        make_comment(article, author=author, text=payload, status=Comment.Status.PENDING)
        authors.append(author)
    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue", args=["pending"]))
    queue_2 = client.get(reverse("moderation:queue", args=["pending"]) + "?page=2")
    profiles = {}
    try:
        for author in authors[:10]:
            url = reverse("accounts:profile", args=[author.username])
            profiles[f"profile {author.username}"] = client.get(url)
    except Exception as missing:  # the profile page belongs to accounts
        pytest.fail(f"profile page unavailable: {missing}")
    assert_inert({"pending": queue, "pending, page 2": queue_2, **profiles})
    cards = [
        *page(queue).find("article", cls="mod-card"),
        *page(queue_2).find("article", cls="mod-card"),
    ]
    assert len(cards) == len(PAYLOADS)


def test_payloads_as_word_list_entries_are_inert(client, moderator, staff):
    added = 0
    client.force_login(moderator)
    for payload in PAYLOADS:
        response = client.post(reverse("moderation:words"), {"word": payload, "kind": "suspect"})
        assert response.status_code in (302, 400, 409), payload
        added += response.status_code == 302
    assert added >= 40 and WordListEntry.objects.count() == added
    words = client.get(reverse("moderation:words"))
    client.force_login(staff)
    assert_inert({"words": words, "log": client.get(reverse("moderation:log"))})
    shown = " ".join(Tree.text_of(e) for e in page(words).find("ul", cls="mod-words"))
    assert "<script>alert(1)</script>" in shown


def test_the_checker_itself_sees_what_it_must(client, article):
    """The parser-based checks catch each kind of problem (so a pass means something)."""

    class Fake:
        status_code = 200

        def __init__(self, html):
            self.content = html.encode()

    samples = {
        "<script>alert(1)</script>": "script",
        '<a href=" JaVa\tScript:alert(1)">x</a>': "dangerous url",
        "<img src=x onerror=alert(1)>": "event handler",
        "<svg></svg>": "forbidden tag",
        '<p style="x">y</p>': "style attribute",
        "<a href='data:text/html,x'>y</a>": "dangerous url",
    }
    for html, kind in samples.items():
        found = problems_in(Fake(f"<html><body>{html}</body></html>"))
        assert found and found[0].startswith(kind), html
    clean = '<html><head><script src="/static/js/minbar.js"></script></head><body><p>x</p></body>'
    assert problems_in(Fake(clean)) == []
