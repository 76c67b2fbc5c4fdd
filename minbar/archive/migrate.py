"""Bringing a Disqus or WordPress export into the site: attach the old discussions to the
articles they belong to, never touching an article.

Two passes over the file (docs/decisions/0013). The first reads it whole and writes nothing:
every record is checked, ids and parents are indexed in compact arrays (cycles, duplicates,
missing threads and parents are found there), threads are matched to articles and the
authors to accounts. Only a file without errors gets the second pass, which reads the file
again and writes in batches, in one transaction: an error anywhere, even at the end of a
huge file, leaves the site as it was. Memory holds the index (a few dozen bytes a comment),
the authors, and one batch of comments.

Comments match by article and import id (`disqus:<id>`, `wp:<id>`) and authors by their
identity on the platform (minbar.archive.models), so running the same file again adds
nothing. A comment already imported is left as it is: moderation done here since stays.
"""

from __future__ import annotations

import csv
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minbar.accounts import policy as accounts
from minbar.archive import html as converter
from minbar.archive.models import ImportedPage, ImportedReader
from minbar.archive.policy import DEFAULT_SECTION, MAX_DEPTH
from minbar.archive.sources import (
    Person,
    Post,
    SourceError,
    SourceInvalid,
    Thread,
)
from minbar.core.text import render_article_markdown, render_comment_markdown
from minbar.discussion.changes import announce_changes
from minbar.discussion.models import COMMENT_MAX, Comment
from minbar.discussion.policy import best_rank
from minbar.news import actions as news
from minbar.news.models import TITLE_MAX, Article, ArticleRevision

BATCH = 500
PROGRESS_EVERY = 100_000
# How many unmatched threads and long comments the summary names one by one.
LISTED = 50
IMPORT_PREFIX = {"disqus": "disqus:", "wordpress": "wp:"}
_NONE = -1

Reader = Callable[[], Iterator[Thread | Post]]


# --- the report ------------------------------------------------------------------------------


@dataclass
class MigrationReport:
    dry_run: bool = False
    threads: int = 0
    matched: int = 0
    created: int = 0
    skipped: list[Thread] = field(default_factory=list)
    skipped_count: int = 0
    comments: int = 0
    comments_new: int = 0
    comments_present: int = 0
    comments_unmatched: int = 0
    pingbacks: int = 0
    statuses: Counter = field(default_factory=Counter)
    long_comments: list[tuple[str, int, int]] = field(default_factory=list)  # id, line, length
    long_count: int = 0
    accounts_new: int = 0
    accounts_known: int = 0
    emails_not_kept: int = 0

    def lines(self) -> list[str]:
        n = self.threads
        out = [
            _("Dry run: nothing was written.") if self.dry_run else _("Import finished."),
            ngettext(
                "%(count)s thread: %(matched)s matched to an article, %(created)s created, "
                "%(skipped)s skipped.",
                "%(count)s threads: %(matched)s matched to an article, %(created)s created, "
                "%(skipped)s skipped.",
                n,
            )
            % {
                "count": n,
                "matched": self.matched,
                "created": self.created,
                "skipped": self.skipped_count,
            },
            ngettext(
                "%(count)s comment: %(new)s new, %(present)s already here, %(unmatched)s left "
                "out with their unmatched threads.",
                "%(count)s comments: %(new)s new, %(present)s already here, %(unmatched)s left "
                "out with their unmatched threads.",
                self.comments,
            )
            % {
                "count": self.comments,
                "new": self.comments_new,
                "present": self.comments_present,
                "unmatched": self.comments_unmatched,
            },
            _(
                "New comments by status: %(visible)s visible, %(pending)s pending, %(rejected)s "
                "rejected as spam, %(deleted)s deleted."
            )
            % {
                "visible": self.statuses["visible"],
                "pending": self.statuses["pending"],
                "rejected": self.statuses["rejected"],
                "deleted": self.statuses["deleted"],
            },
            ngettext(
                "%(count)s pingback or trackback left out.",
                "%(count)s pingbacks and trackbacks left out.",
                self.pingbacks,
            )
            % {"count": self.pingbacks},
            _("Reader accounts: %(new)s created, %(known)s from an earlier import.")
            % {"new": self.accounts_new, "known": self.accounts_known},
        ]
        if self.emails_not_kept:
            out.append(
                ngettext(
                    "%(count)s email already belongs to another account: kept with the "
                    "imported reader only.",
                    "%(count)s emails already belong to other accounts: kept with the "
                    "imported readers only.",
                    self.emails_not_kept,
                )
                % {"count": self.emails_not_kept}
            )
        if self.long_count:
            out.append(
                ngettext(
                    "%(count)s comment is longer than %(max)s characters and was imported whole:",
                    "%(count)s comments are longer than %(max)s characters and were imported "
                    "whole:",
                    self.long_count,
                )
                % {"count": self.long_count, "max": COMMENT_MAX}
            )
            out.extend(
                "  "
                + _("line %(line)s: comment %(id)s, %(length)s characters")
                % {"line": line, "id": ident, "length": length}
                for ident, line, length in self.long_comments
            )
        if self.skipped_count:
            out.append(
                _(
                    "Threads skipped because no article has their address (use --url-map or "
                    "--create-missing):"
                )
            )
            out.extend(
                "  "
                + _("line %(line)s: %(link)s (%(title)s)")
                % {"line": thread.line, "link": thread.link or "-", "title": thread.title}
                for thread in self.skipped
            )
            if self.skipped_count > len(self.skipped):
                out.append("  …")
        return out


# --- addresses -------------------------------------------------------------------------------


def page_path(link: str) -> str:
    """The path an address names, for matching: no scheme, host, query or fragment,
    percent-decoded, NFC, one slash at the end; a leading /en is dropped (the English
    address of the same article)."""
    text = link.strip()
    if "://" not in text and not text.startswith("/"):
        # "old.example.com/a/b": a host first; "a/b": a path.
        text = ("//" if "." in text.split("/")[0] else "/") + text
    path = unquote(urlsplit(text).path or "/")
    path = unicodedata.normalize("NFC", path)
    if not path.endswith("/"):
        path += "/"
    if path.startswith("/en/"):
        path = path[3:]
    return path


def read_url_map(path: str) -> dict[str, str]:
    """old address → slug, from a CSV file of two columns (a header row is allowed)."""
    wanted: dict[str, tuple[str, int]] = {}
    errors: list[SourceError] = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                if not row or not any(cell.strip() for cell in row):
                    continue
                if len(row) != 2:
                    errors.append(
                        SourceError(
                            number,
                            _("%(file)s: expected two columns, old address and slug.")
                            % {"file": path},
                        )
                    )
                    continue
                old, slug = row[0].strip(), row[1].strip()
                if number == 1 and slug.lower() == "slug":
                    continue
                wanted[page_path(old)] = (slug, number)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise SourceInvalid(
            [
                SourceError(
                    None, _("Cannot read %(file)s: %(problem)s") % {"file": path, "problem": error}
                )
            ]
        ) from None
    known = set(
        Article.objects.filter(slug__in=[slug for slug, _n in wanted.values()]).values_list(
            "slug", flat=True
        )
    )
    for slug, number in wanted.values():
        if slug not in known:
            errors.append(
                SourceError(
                    number,
                    _("%(file)s: no article has the slug %(slug)s.") % {"file": path, "slug": slug},
                )
            )
    if errors:
        raise SourceInvalid(errors)
    return {old: slug for old, (slug, _n) in wanted.items()}


# --- the first pass --------------------------------------------------------------------------


class _Index:
    """What the first pass keeps of every comment: small numbers in arrays."""

    def __init__(self) -> None:
        self.ids: dict[int | str, int] = {}
        self.thread = array("i")
        self.parent = array("i")
        self.line = array("i")
        self.author = array("i")
        self.waiting: dict[int, int | str] = {}  # index -> parent id not seen yet
        self.threads: dict[str, int] = {}
        self.thread_info: list[Thread | None] = []
        self.thread_first_use: list[int] = []
        self.people: dict[str, int] = {}
        self.persons: list[Person] = []
        self.pingbacks = 0
        self.depth = array("H")
        self.root = array("i")

    def thread_index(self, key: str, line: int) -> int:
        index = self.threads.get(key)
        if index is None:
            index = self.threads[key] = len(self.thread_info)
            self.thread_info.append(None)
            self.thread_first_use.append(line)
        return index


def _key(post_id: str) -> int | str:
    """Digits are kept as a number (a quarter of the memory), when that reads back the same."""
    if (
        post_id.isascii()
        and post_id.isdigit()
        and len(post_id) < 18
        and str(int(post_id)) == post_id
    ):
        return int(post_id)
    return post_id


def survey(read: Reader, *, progress: Callable[[int], None] | None = None) -> _Index:
    """Read the whole file, check it and index it; raises SourceInvalid with every error."""
    index = _Index()
    errors: list[SourceError] = []
    thread_lines: dict[str, int] = {}
    count = 0
    for record in read():
        if isinstance(record, Thread):
            if record.key in thread_lines:
                errors.append(
                    SourceError(
                        record.line,
                        _("Another thread has the same id %(id)s (line %(other)s).")
                        % {"id": record.key, "other": thread_lines[record.key]},
                    )
                )
                continue
            thread_lines[record.key] = record.line
            index.thread_info[index.thread_index(record.key, record.line)] = record
            continue
        if record.kind in ("pingback", "trackback"):
            index.pingbacks += 1
            continue
        count += 1
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
        key = _key(record.id)
        if key in index.ids:
            errors.append(
                SourceError(
                    record.line,
                    _("Another comment has the same id %(id)s (line %(other)s).")
                    % {"id": record.id, "other": index.line[index.ids[key]]},
                )
            )
            continue
        if len(record.id) > 90:
            errors.append(SourceError(record.line, _("The comment's id is too long.")))
            continue
        position = len(index.line)
        index.ids[key] = position
        index.line.append(record.line)
        index.thread.append(index.thread_index(record.thread, record.line))
        parent = _NONE
        if record.parent is not None:
            parent_key = _key(record.parent)
            if parent_key in index.ids:
                parent = index.ids[parent_key]
            else:
                index.waiting[position] = parent_key
        index.parent.append(parent)
        person = record.author
        if person.identity not in index.people:
            index.people[person.identity] = len(index.persons)
            index.persons.append(person)
        index.author.append(index.people[person.identity])

    for position, parent_key in index.waiting.items():
        found = index.ids.get(parent_key)
        if found is None:
            errors.append(
                SourceError(
                    index.line[position],
                    _("The comment answers %(id)s, which is not in the file.") % {"id": parent_key},
                )
            )
        else:
            index.parent[position] = found
    index.waiting = {}
    for number, info in enumerate(index.thread_info):
        if info is None:
            errors.append(
                SourceError(
                    index.thread_first_use[number],
                    _("The comment belongs to a thread that is not in the file."),
                )
            )
    for position, parent in enumerate(index.parent):
        if parent != _NONE and index.thread[parent] != index.thread[position]:
            errors.append(
                SourceError(
                    index.line[position],
                    _("The comment answers a comment of another thread (line %(other)s).")
                    % {"other": index.line[parent]},
                )
            )
    if not errors:
        errors.extend(_shape(index))
    if errors:
        errors.sort(key=lambda error: error.line or 0)
        raise SourceInvalid(errors)
    return index


def _shape(index: _Index) -> list[SourceError]:
    """Depth and root of every comment; a cycle of parents or a thread too deep is an error."""
    total = len(index.parent)
    depth = array("i", [-1]) * total
    root = array("i", [_NONE]) * total
    errors: list[SourceError] = []
    for start in range(total):
        chain: list[int] = []
        seen: set[int] = set()
        current = start
        while depth[current] < 0 and index.parent[current] != _NONE:
            if current in seen:
                lines = sorted(index.line[item] for item in seen)
                errors.append(
                    SourceError(
                        index.line[start],
                        _("The comments at lines %(lines)s answer each other in a circle.")
                        % {"lines": ", ".join(map(str, lines[:10]))},
                    )
                )
                for item in chain:
                    depth[item] = 0
                chain = []
                break
            seen.add(current)
            chain.append(current)
            current = index.parent[current]
        else:
            if depth[current] < 0:  # a top-level comment
                depth[current], root[current] = 0, _NONE
            for item in reversed(chain):
                up = index.parent[item]
                depth[item] = depth[up] + 1
                root[item] = root[up] if root[up] != _NONE else up
                if depth[item] > MAX_DEPTH:
                    errors.append(
                        SourceError(index.line[item], _("The thread is nested too deeply."))
                    )
                    return errors
    if not errors:
        index.depth = array("H", depth)
        index.root = root
    return errors


# --- the plan (reads the site, writes nothing) -----------------------------------------------


@dataclass
class _Plan:
    article_of_thread: list[int | None]  # article id, or None: skipped (or to create)
    to_create: list[int]  # thread numbers that get a new article
    existing: array  # by comment position: the id of the comment already here, else 0
    accounts: dict[int, int]  # person number -> user id, for the people already imported


def article_ids_by_path() -> dict[str, int]:
    """Every article's id by the path of its address (as `page_path` gives it)."""
    paths: dict[str, int] = {}
    for pk, slug in Article.objects.values_list("pk", "slug").iterator(chunk_size=2000):
        paths[page_path(Article(slug=slug).get_absolute_url())] = pk
    return paths


def plan(
    index: _Index,
    *,
    source: str,
    url_map: dict[str, str],
    create_missing: bool,
    report: MigrationReport,
) -> _Plan:
    paths = article_ids_by_path()
    by_slug = dict(
        Article.objects.filter(slug__in=list(set(url_map.values()))).values_list("slug", "pk")
    )
    remembered = dict(ImportedPage.objects.filter(source=source).values_list("link", "article_id"))
    article_of: list[int | None] = []
    to_create: list[int] = []
    for number, thread in enumerate(index.thread_info):
        assert thread is not None
        path = page_path(thread.link) if thread.link else ""
        article = remembered.get(path)
        if article is None and path in url_map:
            article = by_slug[url_map[path]]
        if article is None and path:
            article = paths.get(path)
        article_of.append(article)
        if article is None and create_missing:
            to_create.append(number)

    used = set()
    per_thread = Counter(index.thread)
    for number, article in enumerate(article_of):
        comments = per_thread.get(number, 0)
        if not comments:
            continue
        report.threads += 1
        if article is not None:
            report.matched += 1
        elif create_missing:
            report.created += 1
        else:
            report.skipped_count += 1
            report.comments_unmatched += comments
            info = index.thread_info[number]
            if info is not None and len(report.skipped) < LISTED:
                report.skipped.append(info)
        if article is not None:
            used.add(article)
    report.pingbacks = index.pingbacks
    report.comments = len(index.line)

    prefix = IMPORT_PREFIX[source]
    # Compact: 8 bytes a comment, whatever the size of the import ids.
    existing = array("q", [0]) * len(index.line)
    ids = sorted(used)
    for start in range(0, len(ids), BATCH):
        rows = Comment.objects.filter(
            article_id__in=ids[start : start + BATCH], import_id__startswith=prefix
        ).values_list("article_id", "import_id", "pk")
        for article, import_id, pk in rows.iterator(chunk_size=2000):
            n = index.ids.get(_key(import_id[len(prefix) :]))
            if n is not None and article_of[index.thread[n]] == article:
                existing[n] = pk

    identities = [person.identity[:300] for person in index.persons]
    accounts_found: dict[int, int] = {}
    position = {identity: n for n, identity in enumerate(identities)}
    for start in range(0, len(identities), BATCH):
        found = ImportedReader.objects.filter(
            source=source, identity__in=identities[start : start + BATCH]
        ).values_list("identity", "user_id")
        accounts_found.update((position[identity], user) for identity, user in found)
    return _Plan(article_of, to_create, existing, accounts_found)


# --- usernames -------------------------------------------------------------------------------

_FALLBACK = "reader"
# Digits of the three keyboards (the username rules' own), and the hyphen.
_KEPT_MARKS = frozenset("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹-")


def username_base(person: Person) -> str:
    """A name that passes Minbar's username rules, made from the platform username or the
    guest's name: letters and digits kept, everything else a `_`, letters of the name's first
    script only, cut to leave room for a number; "reader" when nothing usable is left."""
    raw = unicodedata.normalize("NFKC", person.username or person.name)
    raw = "".join(c for c in raw if not unicodedata.combining(c) and not accounts.is_invisible(c))
    script = None
    kept: list[str] = []
    for char in raw:
        if char.isalpha():
            name = unicodedata.name(char, "")
            char_script = name.split(" ", 1)[0]
            if script is None:
                script = char_script
            if char_script != script:
                kept.append("_")
                continue
            kept.append(char)
        elif char in _KEPT_MARKS:
            kept.append(char)
        else:
            kept.append("_")
    name = "".join(kept)
    while "__" in name:
        name = name.replace("__", "_")
    name = name.strip("_-")[: accounts.USERNAME_MAX - 6].strip("_-")
    if not name or accounts.username_problems(name):
        return _FALLBACK
    return name


def _choose_usernames(people: list[Person]) -> list[str]:
    """Usernames for new accounts, in the order given: the base name, or base_2, base_3 …
    when its look-alike key is taken by an account, a shown display name, or an earlier
    person of the file. The same file on the same site gives the same names."""
    User = get_user_model()
    bases = [username_base(person) for person in people]
    keys = sorted({accounts.username_key(base) for base in bases})
    taken: set[str] = set()
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        for row in User.objects.filter(
            Q(username_key__in=chunk) | Q(display_name_key__in=chunk)
        ).values_list("username_key", "display_name_key"):
            taken.update(row)
    names: list[str] = []
    for base in bases:
        candidate, n = base, 1
        while True:
            key = accounts.username_key(candidate)
            if key not in taken and not (n > 1 and _key_in_db(key)):
                break
            n += 1
            candidate = f"{base}_{n}"
        taken.add(key)
        names.append(candidate)
    return names


def _key_in_db(key: str) -> bool:
    User = get_user_model()
    return User.objects.filter(Q(username_key=key) | Q(display_name_key=key)).exists()


def _display_name(person: Person) -> str:
    name = " ".join(unicodedata.normalize("NFC", person.name).split())[: accounts.DISPLAY_NAME_MAX]
    return "" if not name or accounts.display_name_problems(name) else name


# --- the second pass -------------------------------------------------------------------------


def _create_accounts(
    index: _Index, the_plan: _Plan, *, source: str, needed: set[int], report: MigrationReport
) -> dict[int, int]:
    User = get_user_model()
    users = dict(the_plan.accounts)
    report.accounts_known = len(needed & set(users))
    new = [number for number in sorted(needed) if number not in users]
    people = [index.persons[number] for number in new]
    names = _choose_usernames(people)
    emails = sorted({p.email.lower() for p in people if p.email})
    used_emails: set[str] = set()
    for start in range(0, len(emails), BATCH):
        used_emails.update(
            User.objects.annotate(lowered=Lower("email"))
            .filter(lowered__in=emails[start : start + BATCH])
            .values_list("lowered", flat=True)
        )
    displays = [_display_name(person) for person in people]
    display_keys = [
        accounts.display_name_key(display, own_key=accounts.username_key(username))
        if display
        else ""
        for display, username in zip(displays, names, strict=True)
    ]
    wanted = sorted({key for key in display_keys if key})
    # A shown name may not look like any account's username or shown name.
    shown: set[str] = set()
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        for row in User.objects.filter(
            Q(username_key__in=chunk) | Q(display_name_key__in=chunk)
        ).values_list("username_key", "display_name_key"):
            shown.update(row)
    # ... nor the username of another account this import makes.
    shown.update(accounts.username_key(username) for username in names)
    rows = []
    password = make_password(None)
    for person, username, display, display_key in zip(
        people, names, displays, display_keys, strict=True
    ):
        own = accounts.username_key(username)
        email = person.email if len(person.email) <= 254 else ""
        if email and email.lower() in used_emails:
            report.emails_not_kept += 1
            email = ""
        if email:
            used_emails.add(email.lower())
        if display_key and display_key != own and display_key in shown:
            display, display_key = "", ""
        if display_key:
            shown.add(display_key)
        rows.append(
            User(
                username=username,
                username_key=own,
                display_name=display,
                display_name_key=display_key,
                email=email,
                is_active=False,
                password=password,
            )
        )
    User.objects.bulk_create(rows, batch_size=BATCH)
    ImportedReader.objects.bulk_create(
        [
            ImportedReader(
                source=source,
                identity=person.identity[:300],
                user_id=user.pk,
                email=person.email[:320],
                name=person.name[:200],
            )
            for person, user in zip(people, rows, strict=True)
        ],
        batch_size=BATCH,
    )
    users.update((number, user.pk) for number, user in zip(new, rows, strict=True))
    report.accounts_new = len(rows)
    return users


def _create_articles(index: _Index, the_plan: _Plan, *, source: str, editor) -> list[int]:
    section = news.do_get_or_create_section(name=DEFAULT_SECTION)
    created = []
    for number in the_plan.to_create:
        thread = index.thread_info[number]
        assert thread is not None
        title = thread.title[:TITLE_MAX] or thread.link[:TITLE_MAX] or _("Imported discussion")
        body = _("The discussion of this page was imported from %(link)s.") % {
            "link": f"<{thread.link}>" if thread.link else "-"
        }
        article = Article(
            title=title,
            slug=news.unique_slug(title),
            body=body,
            body_html=render_article_markdown(body),
            status=Article.Status.DRAFT,
            section=section,
            created_by=editor,
        )
        article.save(force_insert=True)
        ArticleRevision.objects.create(
            article=article,
            editor=editor,
            summary=_("Created for a discussion imported from %(source)s") % {"source": source},
            content=news.snapshot(article),
        )
        the_plan.article_of_thread[number] = article.pk
        created.append(article.pk)
    return created


def _remember_pages(index: _Index, the_plan: _Plan, *, source: str) -> None:
    known = set(ImportedPage.objects.filter(source=source).values_list("link", flat=True))
    rows = {}
    for number, article in enumerate(the_plan.article_of_thread):
        thread = index.thread_info[number]
        if article is None or thread is None or not thread.link:
            continue
        path = page_path(thread.link)[:1000]
        if path not in known and path not in rows:
            rows[path] = ImportedPage(source=source, link=path, article_id=article)
    ImportedPage.objects.bulk_create(list(rows.values()), batch_size=BATCH)


def write(
    read: Reader,
    index: _Index,
    the_plan: _Plan,
    *,
    source: str,
    report: MigrationReport,
    editor=None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """The second pass: all or nothing (the caller holds the transaction)."""
    prefix = IMPORT_PREFIX[source]
    created_articles = _create_articles(index, the_plan, source=source, editor=editor)
    article_of = the_plan.article_of_thread
    needed: set[int] = set()
    for n, article_thread in enumerate(index.thread):
        if article_of[article_thread] is not None and not the_plan.existing[n]:
            needed.add(index.author[n])
    users = _create_accounts(index, the_plan, source=source, needed=needed, report=report)
    _remember_pages(index, the_plan, source=source)

    pk = array("q", the_plan.existing)

    batch: list[tuple[int, Comment]] = []
    waiting: dict[int, list[tuple[int, Comment]]] = defaultdict(list)
    visible: Counter = Counter()
    # The new comments' ids by article, for the signal; compact (8 bytes an id).
    touched: dict[int, array] = defaultdict(lambda: array("q"))

    def flush() -> None:
        while batch:
            rows = list(batch)
            batch.clear()
            for n, comment in rows:
                parent = index.parent[n]
                if parent != _NONE:
                    comment.parent_id = pk[parent]
                    comment.root_id = pk[index.root[n]]
            Comment.objects.bulk_create([comment for _n, comment in rows], batch_size=BATCH)
            for n, comment in rows:
                pk[n] = comment.pk
                touched[comment.article_id].append(comment.pk)
                batch.extend(waiting.pop(n, ()))

    count = 0
    position = 0
    for record in read():
        if isinstance(record, Thread) or record.kind in ("pingback", "trackback"):
            continue
        n = index.ids[_key(record.id)]
        position += 1
        if progress and position % PROGRESS_EVERY == 0:
            progress(position)
        article = article_of[index.thread[n]]
        if article is None or pk[n]:
            if article is not None:
                report.comments_present += 1
            continue
        text = converter.to_markdown(record.html)
        if len(text) > COMMENT_MAX:
            report.long_count += 1
            if len(report.long_comments) < LISTED:
                report.long_comments.append((record.id, record.line, len(text)))
        comment = Comment(
            article_id=article,
            author_id=users[index.author[n]],
            depth=index.depth[n],
            body=text,
            body_html=render_comment_markdown(text) if text else "",
            status=record.status,
            created_at=record.created_at,
            imported_score=record.score,
            best_rank=best_rank(upvotes=0, downvotes=0, imported_score=record.score),
            import_id=f"{prefix}{record.id}",
        )
        count += 1
        report.statuses[record.status] += 1
        if record.status == Comment.Status.VISIBLE:
            visible[article] += 1
        parent = index.parent[n]
        if parent != _NONE and not pk[parent]:
            waiting[parent].append((n, comment))
        else:
            batch.append((n, comment))
            if len(batch) >= BATCH:
                flush()
    flush()
    assert not waiting, "every parent is written before the end"
    report.comments_new = count
    for article, number in visible.items():
        Article.objects.filter(pk=article).update(comment_count=F("comment_count") + number)
    new_articles = set(created_articles)
    announce = {a: ids for a, ids in touched.items() if a not in new_articles}
    announce_changes(articles=created_articles, discussions=announce)


# --- the action ------------------------------------------------------------------------------


def check_import_platform(
    read: Reader,
    *,
    source: str,
    url_map: dict[str, str] | None = None,
    create_missing: bool = False,
    dry_run: bool = False,
    editor=None,
    progress: Callable[[str], None] | None = None,
) -> MigrationReport:
    """Check the whole file, then (unless `dry_run`) import it in one transaction. Raises
    SourceInvalid with every error found; the site is then unchanged."""
    report = MigrationReport(dry_run=dry_run)

    def said(step: str) -> Callable[[int], None] | None:
        if progress is None:
            return None
        return lambda count: progress(
            _("%(step)s: %(count)s comments read…") % {"step": step, "count": count}
        )

    index = survey(read, progress=said(_("checking")))
    with transaction.atomic():
        the_plan = plan(
            index,
            source=source,
            url_map=url_map or {},
            create_missing=create_missing,
            report=report,
        )
        if dry_run:
            _dry_counts(index, the_plan, source=source, report=report)
            return report
        write(
            read,
            index,
            the_plan,
            source=source,
            report=report,
            editor=editor,
            progress=said(_("writing")),
        )
    return report


def _dry_counts(index: _Index, the_plan: _Plan, *, source: str, report: MigrationReport) -> None:
    people: set[int] = set()
    to_create = set(the_plan.to_create)
    for n, thread in enumerate(index.thread):
        article = the_plan.article_of_thread[thread]
        if article is None and thread not in to_create:
            continue
        if the_plan.existing[n]:
            report.comments_present += 1
            continue
        report.comments_new += 1
        people.add(index.author[n])
    report.accounts_known = len(people & set(the_plan.accounts))
    report.accounts_new = len(people) - report.accounts_known
