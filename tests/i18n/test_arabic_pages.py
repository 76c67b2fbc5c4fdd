"""Every string on an Arabic page is Arabic: each kind of page, its errors included, is rendered in
Arabic and read as a reader would (tags, scripts and styles stripped; content made in Arabic by
the test), and any run of three English words fails the test. The admin's JavaScript strings
(the many-to-many picker, the calendar) are checked in the catalogue /admin/jsi18n/ serves."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from minbar.news.models import Article, Author, Tag
from tests.factories import make_article, make_comment, make_section
from tests.moderation.conftest import make_moderator, make_staff, old_reader

pytestmark = pytest.mark.django_db

# Words that read the same on an Arabic page: the brand, feed formats, the English site's link.
ALLOWED_WORDS = {"minbar", "rss", "atom", "english"}
# Elements whose text no reader sees, and those marked as English on purpose (lang="en").
HIDDEN = {"script", "style", "template", "head"}
# Where one piece of text ends and the next begins (inline elements run on, as on screen).
BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "br", "button", "caption", "dd",
    "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "input", "label", "legend", "li",
    "main", "nav", "ol", "optgroup", "option", "p", "pre", "section", "select", "summary",
    "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "title", "tr", "ul",
}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
# Attributes a reader sees or hears.
SPOKEN = ("title", "placeholder", "aria-label", "alt")
# Not words: addresses, emails, paths, and the keys of JSON data (a revision's stored content).
NOT_WORDS = re.compile(r'https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<!\w)/[\w/.?=&%-]*|"[\w-]+":')
ENGLISH = re.compile(r"^[\"'(«“\[]*([A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*)[\"'.,:;!?)»”\]…]*$")


class ReadableText(HTMLParser):
    """The text of a page in the pieces a reader meets, without hidden or lang="en" parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._current: list[str] = []
        self._open: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.pieces.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        hidden = (
            self._hidden()
            or tag in HIDDEN
            or (values.get("lang") or "").lower().startswith("en")
            or (tag == "input" and values.get("type") == "hidden")
        )
        if tag in BLOCKS:
            self._flush()
        if not hidden:
            for name in SPOKEN:
                if values.get(name):
                    self.pieces.append(values[name])
            if (
                tag == "input"
                and values.get("type") in {"submit", "button"}
                and values.get("value")
            ):
                self.pieces.append(values["value"])
        if tag not in VOID:
            self._open.append((tag, hidden))

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self._flush()
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        if not self._hidden():
            self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def english_runs(html: str) -> list[str]:
    """Every run of three or more English words on the page."""
    reader = ReadableText()
    reader.feed(html)
    reader.close()
    runs = []
    for piece in reader.pieces:
        run: list[str] = []
        for token in [*NOT_WORDS.sub(" | ", piece).split(), "|"]:
            match = ENGLISH.match(token)
            if match and match.group(1).lower() not in ALLOWED_WORDS:
                run.append(token)
                continue
            if len(run) >= 3:
                runs.append(" ".join(run))
            run = []
    return runs


def test_the_reader_finds_english_sentences_and_passes_arabic_ones():
    """The detector itself: what it flags and what it lets through."""
    html = """<html><head><title>منبر</title><style>p { color: red }</style></head><body>
      <p>This password is too <b>short</b>.</p>
      <p>كلمة المرور قصيرة جدًا، 8 أحرف على الأقل. Minbar RSS Atom</p>
      <p>راسلنا على news@minbar.example أو https://minbar.example/about/us/now</p>
      <p lang="en" dir="ltr">Sorry, something went wrong.</p>
      <script>var text = "Choose all the things";</script>
      <input type="submit" value="Save and continue editing">
      <input type="hidden" value="not seen by anyone">
      <span title="Click to choose all">اختر</span>
      <ul><li>Home</li><li>News</li><li>Sport</li></ul>
      <div>{"status": "draft", "authors": [], "tags": []}</div>
    </body></html>"""
    assert english_runs(html) == [
        "This password is too short.",
        "Save and continue editing",
        "Click to choose all",
    ]


# --- the site and its data, all in Arabic -----------------------------------------------------

NEW_PASSWORD = "عبارة-سر-طويلة-7"


@pytest.fixture
def site(client):
    section = make_section("سياسة")
    tag = Tag.objects.create(name="انتخابات", slug="انتخابات")
    author = Author.objects.create(name="سلمى الكاتبة", slug="سلمى-الكاتبة")
    article = make_article(title="مقال عن الانتخابات", section=section)
    article.tags.add(tag)
    article.authors.add(author)
    draft = make_article(title="مسودة لم تنشر", section=section, published=False)
    reader = old_reader("قارئ_أول", email="reader@example.org", display_name="القارئ الأول")
    other = old_reader("قارئ_ثان", email="other@example.org")
    comment = make_comment(article, author=other, text="تعليق على المقال.")
    make_comment(article, author=reader, text="رد على التعليق.", parent=comment)
    return {
        "section": section,
        "tag": tag,
        "author": author,
        "article": article,
        "draft": draft,
        "reader": reader,
        "comment": comment,
        "moderator": make_moderator("مشرف_النقاش"),
        "staff": make_staff("محرر_الموقع"),
    }


def signup(client, **fields):
    data = {
        "username": "قارئ_جديد",
        "email": "new@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **fields,
    }
    return client.post("/accounts/signup/", data, follow=True)


def reset_link(client, email: str) -> str:
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    return link.group(1)


def anonymous_pages(client, site) -> dict[str, str]:
    article, comment = site["article"], site["comment"]
    pages = {}

    def get(name, url):
        pages[name] = client.get(url, follow=True)

    get("home", "/")
    get("article", article.get_absolute_url())
    get("section", reverse("news:section", args=[site["section"].slug]))
    get("tag", reverse("news:tag", args=[site["tag"].slug]))
    get("author", reverse("news:author", args=[site["author"].slug]))
    get("search", "/search/?q=" + "الانتخابات")
    get("search without results", "/search/?q=" + "كلمةغيرموجودة")
    get("search help", "/search/")
    get("comment permalink", f"/comments/{comment.pk}/")
    get("profile", reverse("accounts:profile", args=[site["reader"].username]))
    get("404", "/no/such/page/")
    get("404 of a draft", site["draft"].get_absolute_url())
    get("sign-up", "/accounts/signup/")
    pages["sign-up, short password"] = signup(client, password1="قصير1", password2="قصير1")
    pages["sign-up, common password"] = signup(client, password1="password", password2="password")
    pages["sign-up, numeric password"] = signup(client, password1="38475619", password2="38475619")
    pages["sign-up, password like the name"] = signup(
        client, username="salma_writer", password1="salma_writer1", password2="salma_writer1"
    )
    pages["sign-up, mismatched passwords"] = signup(client, password2=NEW_PASSWORD + "x")
    pages["sign-up, taken name and address"] = signup(
        client, username=site["reader"].username, email="reader@example.org"
    )
    pages["sign-up, bad address"] = signup(client, email="not an address")
    pages["sign-up, empty"] = client.post("/accounts/signup/", {}, follow=True)
    get("sign-in", "/accounts/login/")
    pages["sign-in, wrong password"] = client.post(
        "/accounts/login/",
        {"login": site["reader"].username, "password": "wrong-password-1"},
        follow=True,
    )
    pages["sign-in, empty"] = client.post("/accounts/login/", {}, follow=True)
    get("password reset", "/accounts/password/reset/")
    pages["password reset, bad address"] = client.post(
        "/accounts/password/reset/", {"email": "not an address"}, follow=True
    )
    pages["password reset, done"] = client.post(
        "/accounts/password/reset/", {"email": "reader@example.org"}, follow=True
    )
    link = reset_link(client, "reader@example.org")
    form_url = client.get(link)["Location"]
    get("password reset, new password", form_url)
    pages["password reset, short"] = client.post(
        form_url, {"password1": "قصير1", "password2": "قصير1"}, follow=True
    )
    pages["password reset, mismatched"] = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}, follow=True
    )
    pages["password reset, changed"] = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )
    get("password reset, used link", link)
    get("password reset, bad link", "/accounts/password/reset/key/zz-bad-key/")
    get("verification sent", "/accounts/confirm-email/")
    EmailAddress.objects.filter(user=site["moderator"]).delete()  # a fresh, unverified address
    address = EmailAddress.objects.create(
        user=site["moderator"], email="moderator@example.org", verified=False, primary=True
    )
    get("verify address", f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/")
    get("verify address, bad key", "/accounts/confirm-email/bad-key/")
    get("account inactive", "/accounts/inactive/")
    get("admin sign-in", "/admin/login/")
    pages["admin sign-in, wrong password"] = client.post(
        "/admin/login/",
        {"username": site["staff"].username, "password": "wrong-password-1"},
        follow=True,
    )
    return pages


def reader_pages(client, site) -> dict[str, str]:
    reader, comment = site["reader"], site["comment"]
    reader.refresh_from_db()  # its password was reset on the anonymous pages
    client.force_login(reader)
    pages = {}

    def get(name, url):
        pages[name] = client.get(url, follow=True)

    get("article, signed in", site["article"].get_absolute_url())
    get("settings", "/accounts/settings/")
    pages["settings, bad display name"] = client.post(
        "/accounts/settings/", {"display_name": "اسم\u202eمقلوب"}, follow=True
    )
    get("addresses", "/accounts/email/")
    pages["addresses, bad address"] = client.post(
        "/accounts/email/", {"action_add": "", "email": "not an address"}, follow=True
    )
    get("password change", "/accounts/password/change/")
    pages["password change, wrong and short"] = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong-password-1", "password1": "قصير1", "password2": "قصير2"},
        follow=True,
    )
    get("password set (has one)", "/accounts/password/set/")
    get("reauthenticate", "/accounts/reauthenticate/")
    get("report", reverse("moderation:report", args=[comment.pk]))
    pages["report, empty"] = client.post(
        reverse("moderation:report", args=[comment.pk]), {}, follow=True
    )
    own = site["article"].comments.get(author=reader)
    get("edit comment", reverse("discussion:edit", args=[own.pk]))
    pages["edit comment, empty"] = client.post(
        reverse("discussion:edit", args=[own.pk]), {"text": ""}, follow=True
    )
    pages["post, empty"] = client.post(
        reverse("discussion:post", args=[site["article"].slug]), {"text": ""}, follow=True
    )
    get("moderation, forbidden", "/moderation/")
    get("sign-out", "/accounts/logout/")
    return pages


def moderator_pages(client, site) -> dict[str, str]:
    client.force_login(site["staff"])
    comment = site["comment"]
    pages = {}

    def get(name, url):
        pages[name] = client.get(url, follow=True)

    get("moderation home", "/moderation/")
    for queue in ("pending", "reported", "rejected"):
        get(f"queue {queue}", reverse("moderation:queue", args=[queue]))
    get("moderated comment", reverse("moderation:comment", args=[comment.pk]))
    get("moderated reader", reverse("moderation:reader", args=[site["reader"].pk]))
    get("word lists", reverse("moderation:words"))
    pages["word lists, empty"] = client.post(reverse("moderation:words"), {}, follow=True)
    get("articles", reverse("moderation:articles"))
    get("article discussion", reverse("moderation:article", args=[site["article"].pk]))
    get("site settings", reverse("moderation:settings"))
    get("audit log", reverse("moderation:log"))
    pages["reject, no reason"] = client.post(
        reverse("moderation:reject", args=[comment.pk]), {}, follow=True
    )
    return pages


def admin_pages(client, site) -> dict[str, str]:
    """The index, and every registered model's list, add form and change form."""
    client.force_login(site["staff"])
    pages = {"admin index": client.get("/admin/")}
    examples = {Article: site["article"], Group: Group.objects.get(name="moderators")}
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        pages[f"admin {info} list"] = client.get(reverse(f"admin:{info}_changelist"))
        pages[f"admin {info} add"] = client.get(reverse(f"admin:{info}_add"))
        example = examples.get(model) or model._default_manager.first()
        if example is not None:
            pages[f"admin {info} change"] = client.get(
                reverse(f"admin:{info}_change", args=[example.pk])
            )
            pages[f"admin {info} history"] = client.get(
                reverse(f"admin:{info}_history", args=[example.pk])
            )
    pages["admin article, empty"] = client.post(reverse("admin:news_article_add"), {}, follow=True)
    pages["admin password"] = client.get(
        reverse("admin:auth_user_password_change", args=[site["reader"].pk])
    )
    pages["admin own password"] = client.get("/admin/password_change/")
    return pages


def test_every_arabic_page_reads_in_arabic(client, site):
    pages = {}
    pages.update(anonymous_pages(client, site))
    pages.update(reader_pages(Client(), site))
    pages.update(moderator_pages(Client(), site))
    pages.update(admin_pages(Client(), site))

    failures = []
    for name, response in pages.items():
        assert response.status_code < 500, name
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html"):
            continue
        html = response.content.decode()
        assert 'lang="ar"' in html, (name, response.status_code)
        failures += [f"{name}: {run}" for run in english_runs(html)]
    assert len(pages) > 60
    # The pages are what their names say: the forms refused, the pickers are there.
    for name in (
        "sign-up, short password",
        "sign-up, mismatched passwords",
        "sign-in, wrong password",
        "password reset, short",
        "password change, wrong and short",
        "settings, bad display name",
    ):
        assert pages[name].status_code == 400, name
    assert "كلمة المرور هذه قصيرة جدًا" in pages["sign-up, short password"].content.decode()
    assert "selectfilter" in pages["admin news_article change"].content.decode()
    group_form = pages["admin auth_group add"].content.decode()
    assert "selectfilter" in group_form
    # Permissions by the models' Arabic names, and ours through the catalogue.
    assert "غرفة الأخبار | مقال | إضافة مقال" in group_form
    assert "غرفة الأخبار | مقال | يمكنه نشر المقالات وجدولتها وإلغاء نشرها" in group_form
    assert not failures, "English on Arabic pages:\n" + "\n".join(failures)


# --- the admin's JavaScript strings -------------------------------------------------------------


def admin_js_msgids() -> list[tuple[str | None, str]]:
    """Every string the admin's JavaScript translates, as Django ships them."""
    source = Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"
    return [(e.msgctxt, e.msgid) for e in polib.pofile(str(source)) if not e.obsolete]


def test_the_admins_javascript_strings_are_arabic(client, site):
    client.force_login(site["staff"])
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    match = re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.DOTALL)
    assert match, "no catalogue in /admin/jsi18n/"
    catalogue = json.loads(match.group(1))
    missing = [
        msgid
        for context, msgid in admin_js_msgids()
        if (f"{context}\x04{msgid}" if context else msgid) not in catalogue
    ]
    assert len(admin_js_msgids()) > 50
    assert not missing, f"{len(missing)} admin JavaScript strings have no Arabic: {missing}"
    # The picker's labels as the page builds them (SelectFilter2.js: interpolate(gettext(…))).
    assert catalogue["Choose all %s"] == "اختيار كل %s"
    assert catalogue["Remove all %s"] == "إزالة كل %s"
    assert len(catalogue["%s selected option not visible"]) == 6
