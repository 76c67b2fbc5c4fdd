"""The front page: a lead story with its image, each article once, the most discussed."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minbar.discussion.models import Comment
from tests.factories import make_article, make_comment, make_section
from tests.news.test_lead_images import with_image

pytestmark = pytest.mark.django_db


def cards_per_article(html: str) -> Counter:
    """How many story blocks (lead, cards) link each article by their title link."""
    found = re.findall(
        r'<(?:h2|h3) class="(?:card|lead-story)__title"[^>]*><a href="([^"]+)"', html
    )
    return Counter(found)


def test_reader_sees_the_newest_illustrated_story_large_and_every_story_once(client, settings):
    settings.MINBAR_ARTICLES_PER_PAGE = 10
    sections = [make_section(f"قسم {n}", position=n) for n in range(3)]
    now = timezone.now()
    for n in range(14):
        make_article(section=sections[n % 3], published_at=now - dt.timedelta(hours=n + 2))
    illustrated = with_image(title="القصة الرئيسية", section=sections[1])
    newest = make_article(title="أحدث خبر بلا صورة", published_at=now - dt.timedelta(minutes=5))
    html = client.get("/").content.decode()
    lead = re.search(r'<article class="lead-story".*?</article>', html, re.S).group(0)
    assert "القصة الرئيسية" in lead and "<picture>" in lead and 'width="1200"' in lead
    seen = cards_per_article(html)
    assert max(seen.values()) == 1, [url for url, n in seen.items() if n > 1]
    assert newest.get_absolute_url() in seen  # still on the page, once, in the latest
    assert illustrated.get_absolute_url() in seen
    # Section blocks come after and show stories not shown above.
    assert html.index('class="lead-story"') < html.index('class="section-block"')


def test_most_discussed_counts_only_the_last_two_days(client):
    busy = make_article(title="نقاش حامٍ")
    quiet = make_article(title="نقاش قديم")
    for _ in range(3):
        make_comment(busy)
    make_comment(quiet)
    old = [make_comment(quiet) for _ in range(5)]
    Comment.objects.filter(pk__in=[c.pk for c in old]).update(
        created_at=timezone.now() - dt.timedelta(hours=49)
    )
    html = client.get("/").content.decode()
    block = re.search(r'<section class="most-discussed".*?</section>', html, re.S).group(0)
    titles = re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', block)
    assert titles == ["نقاش حامٍ", "نقاش قديم"]
    assert "3 تعليقات خلال يومين" in block and "تعليق واحد خلال يومين" in block


def test_front_page_query_count_does_not_grow_with_stories_sections_or_comments(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    make_article()
    with_image()
    small = queries()
    for n in range(4):
        section = make_section(f"قسم إضافي {n}", position=n + 1)
        for _ in range(3):
            article = make_article(section=section)
            make_comment(article)
            make_comment(article)
    with_image(section=section)
    assert queries() == small
