"""`import_disqus` and `import_wordpress` as a newsroom moving in uses them: comments attach to
the articles that are already here, nothing about an article changes, a second run adds
nothing, and the summary says what happened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from minbar.accounts.policy import username_problems
from minbar.archive.models import ImportedPage, ImportedReader
from minbar.discussion.models import Comment
from minbar.news.models import Article
from tests.archive.helpers import site_state
from tests.archive.platform_helpers import FIXTURES, run, write
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

DISQUS = str(FIXTURES / "disqus.xml")
WORDPRESS = str(FIXTURES / "wordpress.xml")
User = get_user_model()


def imported(import_id: str) -> Comment:
    return Comment.objects.select_related("author").get(import_id=import_id)


@pytest.fixture
def kashmir():
    return make_article(
        slug="kashmir-talks", title="محادثات كشمير", body="نص المحرر الأصلي.", standfirst="مقدمة"
    )


def article_row(article: Article) -> dict:
    return Article.objects.filter(pk=article.pk).values().get()


# --- Disqus ----------------------------------------------------------------------------------


def test_disqus_comments_attach_to_the_article_at_the_same_path(client, kashmir):
    before = article_row(kashmir)
    outcome = run("import_disqus", DISQUS)
    assert outcome.ok, outcome.stderr
    # The thread's link has another host and scheme; the path is the article's.
    c1, c2, c3 = (imported(f"disqus:{n}") for n in (5001, 5002, 5003))
    assert {c.article_id for c in (c1, c2, c3)} == {kashmir.pk}
    assert (c1.depth, c2.depth, c3.depth) == (0, 1, 2)
    assert (c2.parent_id, c3.parent_id, c3.root_id) == (c1.pk, c2.pk, c1.pk)
    assert c1.created_at == dt.datetime(2019, 5, 1, 9, 15, tzinfo=dt.UTC)
    assert c1.imported_score == 5  # 7 likes, 2 dislikes
    assert (
        c1.body == "تعليق **أول** على المحادثات.\n\nفقرة ثانية مع [رابط](https://example.org/a_b)."
    )
    assert "<strong>أول</strong>" in c1.body_html
    assert 'href="https://example.org/a_b"' in c1.body_html
    assert c3.body.startswith("> I disagree")
    assert "<blockquote>" in c3.body_html and "<code>x &lt; y</code>" in c3.body_html
    assert "<li>one</li>" in c3.body_html
    # The article itself is exactly as it was, but for the count of visible comments.
    after = article_row(kashmir)
    assert after.pop("comment_count") == 3  # 5001-5003; spam and the deleted one do not count
    before.pop("comment_count")
    assert after == before
    page = client.get(kashmir.get_absolute_url()).content.decode()
    assert "على المحادثات" in page
    assert "Buy cheap watches" not in page


def test_disqus_statuses_become_minbar_statuses_and_spam_is_never_shown(kashmir):
    assert run("import_disqus", DISQUS, "--create-missing").ok
    assert imported("disqus:5004").status == "rejected"  # isSpam
    assert imported("disqus:5005").status == "deleted"  # isDeleted
    assert imported("disqus:5007").status == "pending"  # isApproved false
    assert imported("disqus:5001").status == "visible"


def test_scripts_and_event_handlers_never_reach_the_page(client, kashmir):
    assert run("import_disqus", DISQUS).ok
    c2 = imported("disqus:5002")
    assert c2.body == "I *disagree* — see the report."
    for html in (c2.body_html, imported("disqus:5001").body_html):
        assert "<script" not in html and "onclick" not in html and "onerror" not in html
    page = client.get(kashmir.get_absolute_url()).content.decode()
    assert "steal()" not in page and 'alert("x")' not in page


def test_guests_and_registered_readers_become_inactive_accounts_with_their_emails(kashmir):
    assert run("import_disqus", DISQUS, "--create-missing").ok
    samir = imported("disqus:5001").author
    assert imported("disqus:5003").author == samir  # the same registered Disqus user
    assert (samir.username, samir.display_name, samir.email) == (
        "samir_haddad",
        "سمير حداد",
        "samir@example.net",
    )
    assert not samir.is_active and not samir.has_usable_password()
    dana = imported("disqus:5002").author
    assert imported("disqus:5007").author == dana  # a guest, known by her email, twice
    assert (dana.username, dana.email) == ("Dana_M", "dana@example.org")
    # "admin" is reserved here: a valid name is made, and the shown name that passes for
    # staff is left out.
    ahmad = imported("disqus:5006").author
    assert ahmad.username == "reader" and ahmad.display_name == ""
    assert ahmad.email == "ahmad@example.com"
    for user in User.objects.filter(imported_identities__source="disqus"):
        assert username_problems(user.username) == [], user.username
    assert ImportedReader.objects.get(user=samir).identity == "user:samir.haddad"


def test_usernames_that_collide_get_a_number_and_stay_the_same_on_the_next_run(kashmir):
    make_user("samir_haddad")
    make_user("Dana_m")  # folds to the same key as Dana_M
    assert run("import_disqus", DISQUS).ok
    assert imported("disqus:5001").author.username == "samir_haddad_2"
    assert imported("disqus:5002").author.username == "Dana_M_2"
    assert run("import_disqus", DISQUS).ok
    assert User.objects.filter(username__startswith="samir_haddad").count() == 2


def test_an_email_another_account_has_stays_with_the_imported_reader_only(kashmir):
    make_user("samir", email="Samir@Example.net")
    outcome = run("import_disqus", DISQUS)
    assert outcome.ok
    author = imported("disqus:5001").author
    assert author.email == ""
    assert ImportedReader.objects.get(user=author).email == "samir@example.net"
    assert "1 email already belongs to another account" in outcome.stdout


def test_unmatched_threads_are_listed_and_skipped_without_create_missing(kashmir):
    articles = Article.objects.count()
    outcome = run("import_disqus", DISQUS)
    assert outcome.ok
    assert "3 threads: 1 matched to an article, 0 created, 2 skipped." in outcome.stdout
    assert "8 comments: 5 new, 0 already here, 3 left out" in outcome.stdout
    assert "line 20: http://old.example.com/2019/05/book-fair.html?utm=x" in outcome.stdout
    assert "https://old.example.com/gone/page-without-article/ (A page Minbar never had)" in (
        outcome.stdout
    )
    assert Article.objects.count() == articles
    assert not Comment.objects.filter(import_id__in=["disqus:5006", "disqus:5008"]).exists()


def test_create_missing_makes_unpublished_articles_holding_title_and_old_link(kashmir):
    outcome = run("import_disqus", DISQUS, "--create-missing")
    assert outcome.ok, outcome.stderr
    assert "3 threads: 1 matched to an article, 2 created, 0 skipped." in outcome.stdout
    made = Article.objects.get(title="A page Minbar never had")
    assert made.status == "draft" and made.published_at is None
    assert "https://old.example.com/gone/page-without-article/" in made.body
    assert imported("disqus:5008").article == made
    assert ImportedPage.objects.filter(article=made).exists()
    # Found again next time: no second article.
    again = run("import_disqus", DISQUS, "--create-missing")
    assert "3 threads: 3 matched to an article, 0 created, 0 skipped." in again.stdout
    assert Article.objects.filter(title="A page Minbar never had").count() == 1


def test_url_map_sends_a_renamed_page_to_its_article(tmp_path, kashmir):
    fair = make_article(slug="book-fair-2019", title="معرض الكتاب")
    mapping = write(
        tmp_path,
        "old,slug\nold.example.com/2019/05/book-fair.html,book-fair-2019\n",
        name="map.csv",
    )
    outcome = run("import_disqus", DISQUS, "--url-map", mapping)
    assert outcome.ok, outcome.stderr
    assert imported("disqus:5006").article == fair
    assert "2 matched to an article" in outcome.stdout


def test_url_map_naming_an_unknown_slug_is_an_error_at_its_line(tmp_path, kashmir):
    before = site_state()
    mapping = write(tmp_path, "https://old.example.com/x/,no-such-article\n", name="map.csv")
    outcome = run("import_disqus", DISQUS, "--url-map", mapping)
    assert not outcome.ok
    assert "line 1:" in outcome.stderr and "no-such-article" in outcome.stderr
    assert site_state() == before


def test_a_long_comment_is_imported_whole_and_named_in_the_summary(kashmir):
    outcome = run("import_disqus", DISQUS, "--create-missing")
    assert len(imported("disqus:5006").body) == 7012
    assert "1 comment is longer than 5000 characters and was imported whole:" in outcome.stdout
    assert "line 81: comment 5006, 7012 characters" in outcome.stdout


def test_running_the_same_file_again_adds_nothing(kashmir):
    assert run("import_disqus", DISQUS, "--create-missing").ok
    before = site_state()
    accounts = list(ImportedReader.objects.values_list("pk", "user_id"))
    again = run("import_disqus", DISQUS, "--create-missing")
    assert again.ok
    assert "8 comments: 0 new, 8 already here" in again.stdout
    assert "Reader accounts: 0 created" in again.stdout
    assert site_state() == before
    assert list(ImportedReader.objects.values_list("pk", "user_id")) == accounts


def test_moderation_done_after_the_import_survives_a_second_run(kashmir):
    from minbar.discussion import actions as discussion

    assert run("import_disqus", DISQUS).ok
    discussion.do_change_comment_status(imported("disqus:5001"), status="rejected")
    assert run("import_disqus", DISQUS).ok
    assert imported("disqus:5001").status == "rejected"


def test_dry_run_reports_and_writes_nothing(kashmir):
    before = site_state()
    outcome = run("import_disqus", DISQUS, "--dry-run", "--create-missing")
    assert outcome.ok
    assert "Dry run: nothing was written." in outcome.stdout
    assert "8 comments: 8 new" in outcome.stdout
    assert "Reader accounts: 6 created" in outcome.stdout
    assert site_state() == before
    assert not ImportedReader.objects.exists() and not ImportedPage.objects.exists()


def test_summary_is_in_arabic_by_default(kashmir):
    outcome = run("import_disqus", DISQUS, language="ar")
    assert outcome.ok
    assert "اكتمل الاستيراد." in outcome.stdout
    assert "Import finished." not in outcome.stdout


def test_summary_in_english_on_request(kashmir):
    outcome = run("import_disqus", DISQUS, "--language", "en", language="ar")
    assert outcome.ok
    assert "Import finished." in outcome.stdout


def test_comments_of_the_english_address_match_too(tmp_path, kashmir):
    text = (FIXTURES / "disqus.xml").read_text()
    text = text.replace(
        "https://old.example.com/articles/kashmir-talks/", "/en/articles/kashmir-talks"
    )
    assert run("import_disqus", write(tmp_path, text)).ok
    assert imported("disqus:5001").article == kashmir


# --- WordPress -------------------------------------------------------------------------------


def test_wordpress_comments_attach_with_utc_times_and_registered_authors(kashmir):
    before = article_row(kashmir)
    outcome = run("import_wordpress", WORDPRESS, "--time-zone", "Asia/Riyadh")
    assert outcome.ok, outcome.stderr
    reem = imported("wp:101")
    # comment_date_gmt is UTC; comment_date (local, +03:00) is not used when it is there.
    assert reem.created_at == dt.datetime(2019, 5, 1, 9, 15, tzinfo=dt.UTC)
    assert (reem.author.username, reem.author.display_name, reem.author.email) == (
        "reem_k",
        "ريم ك.",
        "reem@example.com",
    )
    assert reem.body == "تعليق **مسجل** من ريم."
    # No UTC time: the local time, read in the blog's zone.
    guest = imported("wp:102")
    assert guest.created_at == dt.datetime(2019, 5, 1, 10, 0, tzinfo=dt.UTC)
    assert (guest.parent_id, guest.status) == (reem.pk, "pending")
    assert guest.body == "A guest reply [here](https://example.org)."
    assert "onmouseover" not in guest.body_html and "cookie" not in guest.body_html
    assert imported("wp:105").status == "rejected"  # spam
    trashed = imported("wp:106")
    assert (trashed.status, trashed.depth, trashed.root_id) == ("deleted", 2, reem.pk)
    assert not Comment.objects.filter(import_id__in=["wp:103", "wp:104"]).exists()
    assert "2 pingbacks and trackbacks left out." in outcome.stdout
    after = article_row(kashmir)
    assert after.pop("comment_count") == 1
    before.pop("comment_count")
    assert after == before


def test_wordpress_local_time_without_a_zone_is_an_error_not_a_guess(kashmir):
    before = site_state()
    outcome = run("import_wordpress", WORDPRESS)
    assert not outcome.ok
    assert "line 45:" in outcome.stderr and "--time-zone" in outcome.stderr
    assert site_state() == before


def test_wordpress_long_comment_and_create_missing(kashmir):
    outcome = run("import_wordpress", WORDPRESS, "--time-zone", "Asia/Riyadh", "--create-missing")
    assert outcome.ok, outcome.stderr
    long = imported("wp:201")
    # Whole: the fixture's 7,012 characters, less the space at its end.
    assert len(long.body) == 7011 and long.body.endswith("This is a very long")
    assert long.article.title == "Riyadh book fair opens" and long.article.status == "draft"
    assert "line 112: comment 201, 7011 characters" in outcome.stdout
    # Pages without comments (About us) make no article.
    assert not Article.objects.filter(title="About us").exists()
    before = site_state()
    assert run("import_wordpress", WORDPRESS, "--time-zone", "Asia/Riyadh", "--create-missing").ok
    assert site_state() == before


def test_wxr_1_1_is_read_too(tmp_path, kashmir):
    text = (FIXTURES / "wordpress.xml").read_text().replace("export/1.2/", "export/1.1/")
    outcome = run("import_wordpress", write(tmp_path, text), "--time-zone", "UTC")
    assert outcome.ok, outcome.stderr
    assert imported("wp:101").article == kashmir


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>سطر أول</p>\n<p>second   line</p>", "سطر أول\n\nsecond line"),
        ("<p>1. not a list</p>", "1\\. not a list"),
        ("<p>5 * 3 = 15</p>", "5 \\* 3 \\= 15"),
        ("<p>x</p><script>alert(1)</script>", "x"),
        ('<p><a href="javascript:alert(1)">y</a></p>', "y"),
        ("<ol><li>one</li></ol>", "1. one"),
    ],
)
def test_html_becomes_the_markdown_that_shows_the_same(html, markdown):
    from minbar.archive.html import to_markdown

    assert to_markdown(html) == markdown


def test_the_article_page_hears_of_its_new_comments(kashmir, django_capture_on_commit_callbacks):
    from minbar.core.signals import discussion_changed

    heard = []

    def receiver(sender, article_id, comment_ids, **kwargs):
        heard.append((article_id, sorted(comment_ids)))

    discussion_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert run("import_disqus", DISQUS).ok
    finally:
        discussion_changed.disconnect(receiver)
    ids = sorted(Comment.objects.filter(article=kashmir).values_list("pk", flat=True))
    assert heard == [(kashmir.pk, ids)]


def test_editor_sees_the_progress_of_a_long_import_and_none_with_verbosity_0(kashmir, monkeypatch):
    import io

    from django.core.management import call_command
    from django.utils import translation

    from minbar.archive import migrate

    monkeypatch.setattr(migrate, "PROGRESS_EVERY", 2)
    err = io.StringIO()
    with translation.override("en"):
        call_command("import_disqus", str(FIXTURES / "disqus.xml"), "--dry-run", stderr=err,
                     stdout=io.StringIO())  # fmt: skip
    lines = err.getvalue().splitlines()
    assert lines and all(line.startswith("checking: ") for line in lines), lines
    quiet = io.StringIO()
    call_command("import_disqus", str(FIXTURES / "disqus.xml"), "--dry-run", verbosity=0,
                 stderr=quiet, stdout=io.StringIO())  # fmt: skip
    assert quiet.getvalue() == ""
