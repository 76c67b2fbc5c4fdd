"""One table of queries over one corpus, run on whichever engine the suite runs on (CI runs the
suite on SQLite and again on PostgreSQL): both must give exactly these sets of ids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minbar.discussion.models import Comment
from minbar.news import actions as news
from minbar.search import policy
from minbar.search.backends import get_backend
from minbar.search.query import parse_query
from minbar.search.selectors import Filters
from tests.factories import make_article, make_comment, make_section
from tests.search.helpers import all_found_articles

pytestmark = pytest.mark.django_db

NOW = timezone.now()

# label: (section, days ago, title, standfirst, tags, body)
ARTICLES = {
    "budget": ("economy", 1, "الحكومة تقر الموازنة العامة", "وزير المالية يعرض الأرقام",
               ["اقتصاد"], "قال وزير المالية إن الموازنة الجديدة تدعم المستشفيات والمدارس."),
    "foreign": ("politics", 3, "وزير الخارجية في بيروت", "زيارة رسمية إلى لبنان", ["سياسة"],
                "التقى وزيرُ الخارجيّة المسؤولين اللبنانيين لبحث العقوبات."),
    "sea": ("society", 5, "البحر المتوسط", "", [], "تلوث البحر يهدد الصيادين في البحرين ولبنان."),
    "milk": ("economy", 6, "أسعار اللبن", "", [], "ارتفعت أسعار اللبن والأجبان هذا الأسبوع."),
    "turkey": ("politics", 7, "تركيا والانتخابات", "", [], "صوّت الأتراك في الانتخابات التركية."),
    "old": ("politics", 2000, "انتخابات قديمة", "", [], "جرت الانتخابات البلدية في موعدها."),
    "boundary": ("politics", 8, "اجتماع مجلس", "الأمن في المدينة", [], "لا شيء آخر."),
    "phrase": ("politics", 9, "اجتماع طارئ", "", [], "دعا مجلس الأمن الدولي إلى التهدئة."),
    "numbers": ("economy", 10, "أرقام العام", "", [], "نما الاقتصاد عام ٢٠٢٤ أكثر من عام 2023."),
    "latin": ("society", 11, "Minbar News", "", [], "Open source e-mail and NEAR words."),
    "scheduled": ("politics", -2, "انتخابات مقبلة", "", [], "الانتخابات بعد يومين."),
    "draft": ("politics", None, "مسودة", "", [], "الانتخابات في مسودة لم تنشر."),
}  # fmt: skip

# label: (article, text, status)
COMMENTS = {
    "c_budget": ("budget", "الموازنة لا تكفي المستشفيات", "visible"),
    "c_foreign": ("foreign", "زيارة وزير الخارجية مهمة", "visible"),
    "c_rejected": ("foreign", "وزير الخارجية لا يعرف شيئًا", "rejected"),
    "c_pending": ("budget", "وزير المالية", "pending"),
    "c_draft": ("draft", "الانتخابات ووزير الداخلية", "visible"),
    "c_scheduled": ("scheduled", "الانتخابات المقبلة", "visible"),
}

# (query, filters, articles found, comments found)
CASES = [
    ("وزير", {}, {"budget", "foreign"}, {"c_foreign"}),
    ("الوزراء", {}, {"budget", "foreign"}, {"c_foreign"}),  # a broken plural meets its singular
    ("الخارجية", {}, {"foreign"}, {"c_foreign"}),
    ('"وزير الخارجية"', {}, {"foreign"}, {"c_foreign"}),
    ('"وزير المالية"', {}, {"budget"}, set()),
    ('"المالية وزير"', {}, set(), set()),
    ("حكومة موازنة", {}, {"budget"}, set()),
    ("الموازنة", {}, {"budget"}, {"c_budget"}),
    ("مستشف*", {}, {"budget"}, {"c_budget"}),
    ("اقتصاد", {}, {"budget", "numbers"}, set()),  # a tag, and a body word
    ("لبنان", {}, {"foreign", "sea"}, set()),
    ("لبن", {}, {"milk"}, set()),
    ("البحرين", {}, {"sea"}, set()),
    ("تركيا", {}, {"turkey"}, set()),
    ("انتخ*", {}, {"turkey", "old"}, set()),
    ("الانتخابات -البلدية", {}, {"turkey"}, set()),
    ('انتخابات -"الانتخابات البلدية"', {}, {"turkey"}, set()),
    ('الانتخابات -"البلدية الانتخابات"', {}, {"turkey", "old"}, set()),
    ("وزير -لبنان", {}, {"budget"}, {"c_foreign"}),
    ("وزير -زيار*", {}, {"budget"}, set()),
    ('"مجلس الأمن"', {}, {"phrase"}, set()),  # never across the title and the standfirst
    ("مجلس الأمن", {}, {"boundary", "phrase"}, set()),
    ('"مجلس الأمن"*', {}, {"phrase"}, set()),
    ('"دعا مجلس الأمن"', {}, {"phrase"}, set()),
    ('"مجلس الأمن الدولي" "المدينة"', {}, set(), set()),
    ('"open sou"*', {}, {"latin"}, set()),
    ("2024", {}, {"numbers"}, set()),
    ("٢٠٢٣", {}, {"numbers"}, set()),
    ("minbar", {}, {"latin"}, set()),
    ("MINBAR news", {}, {"latin"}, set()),
    ("e-mail", {}, {"latin"}, set()),
    ('"source e"*', {}, {"latin"}, set()),
    ("NEAR", {}, {"latin"}, set()),
    ("OR", {}, set(), set()),
    ("وزير", {"section": "politics"}, {"foreign"}, {"c_foreign"}),
    ("الانتخابات", {"date_from": -30}, {"turkey"}, set()),
    ("الانتخابات", {"date_to": -30}, {"old"}, set()),
    ("وزير", {"date_from": -2, "date_to": 0}, {"budget"}, {"c_foreign"}),
]


@pytest.fixture
def corpus(committed):
    sections = {name: make_section(name) for name in ("economy", "politics", "society")}
    articles, comments = {}, {}
    with committed():
        for label, (section, days, title, standfirst, tags, body) in ARTICLES.items():
            articles[label] = make_article(
                title=title,
                standfirst=standfirst,
                body=body,
                section=sections[section],
                tags=[news.do_get_or_create_tag(name=name) for name in tags],
                published=days is not None,
                published_at=None if days is None else NOW - dt.timedelta(days=days),
            )
        for label, (article, text, status) in COMMENTS.items():
            comments[label] = make_comment(articles[article], text=text)
            if status != "visible":
                from minbar.discussion.actions import do_change_comment_status

                do_change_comment_status(comments[label], status=status)
    assert Comment.objects.filter(status="visible").count() == 4
    return sections, articles, comments


def _filters(sections, spec: dict) -> Filters:
    def day(offset):
        return None if offset is None else (NOW + dt.timedelta(days=offset)).date()

    return Filters(
        section=sections[spec["section"]] if "section" in spec else None,
        date_from=day(spec.get("date_from")),
        date_to=day(spec.get("date_to")),
    )


def test_every_query_of_the_table_finds_exactly_its_documents(client, corpus):
    """One corpus (built once) for the table, through the engine and through the page."""
    sections, articles, comments = corpus
    backend = get_backend()
    article_label = {a.pk: label for label, a in articles.items()}
    comment_label = {c.pk: label for label, c in comments.items()}
    wrong = []
    now = timezone.now()  # the comments were posted after NOW
    for q, spec, want_articles, want_comments in CASES:
        query = parse_query(q)
        window = _filters(sections, spec).window(now=now)
        for sort in ("relevance", "date"):

            def ids(kind, query=query, window=window, sort=sort):
                hits = backend.page(
                    kind, query, window=window, candidates=policy.MAX_RESULTS, sort=sort,
                    now_seconds=policy.epoch_seconds(now), offset=0, size=policy.MAX_RESULTS,
                )  # fmt: skip
                return [object_id for _key, object_id in hits]

            found_articles, found_comments = ids("articles"), ids("comments")
            got = (
                {article_label[pk] for pk in found_articles},
                {comment_label[pk] for pk in found_comments},
            )
            counted = (
                backend.count("articles", query, window=window, limit=policy.MAX_RESULTS),
                backend.count("comments", query, window=window, limit=policy.MAX_RESULTS),
            )
            # The page's own count, from the same walk, says the same (None: no hits).
            walked = tuple(
                backend.counted_page(
                    kind, query, window=window, candidates=policy.MAX_RESULTS, sort=sort,
                    now_seconds=policy.epoch_seconds(now), offset=0, size=1,
                )[1] or 0
                for kind in ("articles", "comments")
            )  # fmt: skip
            unique = len(found_articles) == len(got[0]) and len(found_comments) == len(got[1])
            if walked != counted:
                wrong.append((backend.vendor, q, spec, sort, "walked", walked, counted))
            if got != (want_articles, want_comments) or counted != tuple(map(len, got)):
                wrong.append((backend.vendor, q, spec, sort, got, counted))
            elif not unique:
                wrong.append((backend.vendor, q, spec, sort, "an id twice"))
    assert not wrong, "\n".join(map(str, wrong))

    for q, spec, want_articles, _want_comments in CASES:
        if not spec:
            found = {article_label[pk] for pk in all_found_articles(client, q)}
            assert found == want_articles, q

    # Pages tile the results: page by page gives the whole list, in the same order.
    elections = parse_query("الانتخابات")
    window = Filters().window(now=now)

    def page(sort, offset, size):
        return backend.page(
            "articles", elections, window=window, candidates=policy.MAX_RESULTS, sort=sort,
            now_seconds=policy.epoch_seconds(now), offset=offset, size=size,
        )  # fmt: skip

    for sort in ("relevance", "date"):
        assert page(sort, 0, 1) + page(sort, 1, 5) == page(sort, 0, 6)
    assert [pk for _key, pk in page("date", 0, 6)] == [articles["turkey"].pk, articles["old"].pk]
