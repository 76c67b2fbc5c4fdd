"""Reading an archive document: parse it, check every rule of the format, and either return it
in a clean, typed shape with the defaults filled in, or raise ArchiveInvalid with every error
found, each at its JSON pointer (`/articles/3/comments/17/created_at`).

No database here: what needs the site (accounts that already exist) is checked by the actions.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minbar.accounts.models import User
from minbar.archive import policy
from minbar.core.text import clean_user_text
from minbar.discussion.models import Comment
from minbar.moderation.models import AuditEntry, CommentReport, Sanction
from minbar.news.actions import slug_from
from minbar.news.models import SLUG_MAX, STANDFIRST_MAX, TITLE_MAX, Article, Author, Section, Tag


def _max_length(model, field: str) -> int:
    """The length the model's column holds: the one source of each limit below."""
    length = model._meta.get_field(field).max_length
    assert length is not None, (model, field)
    return int(length)


# Field lengths of the models the values end up in, read from the models themselves.
NAME_MAX = {
    "section": _max_length(Section, "name"),
    "tag": _max_length(Tag, "name"),
    "author": _max_length(Author, "name"),
}
SOURCE_NAME_MAX = _max_length(Article, "source_name")
SOURCE_URL_MAX = _max_length(Article, "source_url")
LANGUAGE_MAX = _max_length(Article, "language")
COMMENT_ID_MAX = _max_length(Comment, "import_id")
USERNAME_FIELD_MAX = _max_length(User, "username")
SITE_NAME_MAX = 200

_SLUG = re.compile(r"[-\w]+")
# NUL and lone surrogates (which JSON escapes can produce) cannot be stored by either database.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")

# Messages for wrong types, translated only when an error is reported: the checks run for every
# field of every comment, and a translation lookup each time would double the time they take.
MUST_BE_OBJECT = gettext_lazy("Must be an object, not %(found)s.")
MUST_BE_STRING = gettext_lazy("Must be a string, not %(found)s.")
MUST_BE_TIME = gettext_lazy("Must be a time as a string, not %(found)s.")
MUST_BE_LIST = gettext_lazy("Must be a list, not %(found)s.")
MUST_BE_PARENT = gettext_lazy(
    "Must be the id of an earlier comment (a string) or null, not %(found)s."
)

DOCUMENT_KEYS = {"format", "version", "site", "articles"}
# What version 2 adds (docs/archive-format-v2.md); in a version 1 file these are unknown.
DOCUMENT_KEYS_V2 = DOCUMENT_KEYS | {"personal_data", "readers", "moderation"}
MODERATION_KEYS = {"reports", "sanctions", "decisions"}
# The order the lists are read and written in.
MODERATION_ORDER = ("reports", "sanctions", "decisions")
REPORT_KEYS = {
    "article", "comment", "reporter", "reason", "text", "counted", "at", "resolution",
    "resolved_at", "resolved_by",
}  # fmt: skip
SANCTION_KEYS = {
    "reader", "kind", "reason", "starts_at", "ends_at", "by", "lifted_at", "lifted_by",
}  # fmt: skip
DECISION_KEYS = {"action", "at", "by", "reason", "article", "comment", "reader", "details"}
MODERATION_SPECS = {"reports": REPORT_KEYS, "sanctions": SANCTION_KEYS, "decisions": DECISION_KEYS}
READER_KEYS = {"username", "display_name", "joined_at", "email", "email_verified"}
VOTE_KEYS = {"reader", "value", "at", "counted"}
SITE_KEYS = {"name", "time_zone"}
ARTICLE_KEYS = {
    "slug", "title", "standfirst", "body", "language", "section", "tags", "authors", "status",
    "published_at", "updated_at", "comments_open", "source", "comments", "url",
}  # fmt: skip
SOURCE_KEYS = {"name", "url", "language"}
COMMENT_KEYS = {"id", "parent", "author", "created_at", "text", "score", "status"}
COMMENT_KEYS_V2 = COMMENT_KEYS | {"edited_at", "votes", "featured"}


@dataclass(frozen=True)
class ArchiveError:
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


class ArchiveInvalid(Exception):
    """The document breaks the format; `errors` lists every problem, in document order.

    `authors` maps each comment author's username to the pointers of its uses, so that the
    checks only the site can make (accounts) still run on a document with other errors.
    """

    def __init__(self, errors: list[ArchiveError], *, authors: dict[str, list[str]] | None = None):
        super().__init__(f"{len(errors)} error(s) in the archive")
        self.errors = errors
        self.authors = authors or {}


def document_order(pointer: str) -> tuple[int, ...]:
    """A sort key that keeps errors in the order of the things they are about."""
    return tuple(int(token) for token in pointer.split("/") if token.isdigit())


@dataclass(frozen=True)
class VoteEntry:
    pointer: str
    reader: str
    value: int  # +1 or -1
    at: dt.datetime
    counted: bool  # whether it moves the score (decision 0008)


@dataclass(frozen=True)
class ReaderEntry:
    pointer: str
    username: str
    display_name: str
    joined_at: dt.datetime | None
    email: str
    email_verified: bool


@dataclass(frozen=True)
class CommentEntry:
    pointer: str
    id: str
    parent: str | None
    root: str | None  # the id of the thread's top-level comment; None for a top-level comment
    depth: int
    author: str
    created_at: dt.datetime
    text: str  # as it will be stored: cleaned like a reader's text
    score: int
    status: str
    edited_at: dt.datetime | None = None
    votes: tuple[VoteEntry, ...] = ()
    featured: bool = False  # version 2: picked out by the newsroom


@dataclass(frozen=True)
class ArticleEntry:
    pointer: str
    slug: str
    title: str
    standfirst: str
    body: str
    language: str
    section: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    status: str
    published_at: dt.datetime | None
    updated_at: dt.datetime | None  # None: the site keeps (or, for a new article, picks) one
    comments_open: bool
    source_name: str
    source_url: str
    source_language: str
    comments: tuple[CommentEntry, ...]
    # The article's address (here, or on the site it came from): how `--comments-only` finds
    # an article whose slug changed (docs/archive-format-v2.md).
    url: str = ""


@dataclass(frozen=True)
class ArchiveDocument:
    site_name: str
    time_zone: str
    articles: tuple[ArticleEntry, ...]
    version: int = 1
    personal_data: bool = False
    readers: tuple[ReaderEntry, ...] = ()
    # (kind, pointer, fields) of every report, sanction and decision, in file order
    moderation: tuple[tuple[str, str, dict[str, Any]], ...] = ()

    @property
    def comment_count(self) -> int:
        return sum(len(article.comments) for article in self.articles)


# --- parsing ---------------------------------------------------------------------------------


class Streamed(list[Any]):
    """Stands for a long list that a streaming reader reads apart, item by item."""


class _Object(dict):
    """A JSON object that remembers the keys it saw twice (json keeps the last silently)."""

    duplicates: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    seen: list[str] = []
    for key, value in pairs:
        if key in obj:
            seen.append(key)
        obj[key] = value
    obj.duplicates = tuple(seen)
    return obj


def _refuse_constant(name: str) -> Any:
    raise ValueError(_("%(name)s is not a JSON number.") % {"name": name})


def parse_archive(raw: bytes | str) -> ArchiveDocument:
    """Parse the file's content and check it; raises ArchiveInvalid."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            message = _("The file is not UTF-8 text (byte %(position)s).") % {
                "position": error.start
            }
            raise ArchiveInvalid([ArchiveError("", message)]) from None
    try:
        data = json.loads(raw, object_pairs_hook=_object_pairs, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        message = _(
            "The file is not valid JSON: %(problem)s (line %(line)s, column %(column)s)."
        ) % {"problem": error.msg, "line": error.lineno, "column": error.colno}
        raise ArchiveInvalid([ArchiveError("", message)]) from None
    except (ValueError, RecursionError) as error:
        message = _("The file is not valid JSON: %(problem)s") % {"problem": error}
        raise ArchiveInvalid([ArchiveError("", message)]) from None
    return validate_archive(data)


def validate_archive(data: Any) -> ArchiveDocument:
    """Check decoded JSON against the format; raises ArchiveInvalid with every error."""
    checker = _Checker()
    document = checker.document(data)
    if checker.errors:
        raise ArchiveInvalid(checker.errors, authors=checker.authors)
    assert document is not None
    return document


# --- checking --------------------------------------------------------------------------------


def _escape(token: str) -> str:
    return _printable(token).replace("~", "~0").replace("/", "~1")


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_MISSING = object()


class _Checker:
    def __init__(self) -> None:
        self.errors: list[ArchiveError] = []
        self.authors: dict[str, list[str]] = {}
        self.version = 1
        self._readers_seen: dict[str, str] = {}
        # (pointer, parent id) of streamed replies whose parent was not seen before them.
        self.pending: list[tuple[str, str]] = []
        # The comment ids of each streamed article, by the article's pointer.
        self.streamed_ids: dict[str, list[str]] = {}
        # (article slug, comment id) of every comment the moderation history names.
        self.moderated: set[tuple[str, str]] = set()

    def error(self, pointer: str, message: str) -> None:
        self.errors.append(ArchiveError(pointer, message))

    # -- shapes --

    def _expect(self, value: Any, pointer: str, kind: type, message) -> bool:
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            self.error(pointer, message % {"found": _json_type(value)})
        return ok

    def obj(self, value: Any, pointer: str, keys: set[str]) -> bool:
        if not self._expect(value, pointer, dict, MUST_BE_OBJECT):
            return False
        for key in getattr(value, "duplicates", ()):
            self.error(f"{pointer}/{_escape(key)}", _("This field appears twice."))
        for key in value:
            if key not in keys:
                self.error(
                    f"{pointer}/{_escape(key)}", _("Unknown field: the format has no such field.")
                )
        return True

    def string(
        self,
        parent: dict,
        key: str,
        pointer: str,
        *,
        required: bool = False,
        default: str = "",
        max_length: int | None = None,
        blank: bool = True,
        strip: bool = False,
    ) -> str | None:
        """The string at `key`, or `default` when absent; None after reporting an error."""
        value = parent.get(key, _MISSING)
        at = f"{pointer}/{key}"
        if value is _MISSING or (value is None and not required):
            if required:
                self.error(at, _("This field is required."))
                return None
            return default
        if not self._expect(value, at, str, MUST_BE_STRING):
            return None
        if _UNSTORABLE.search(value):
            self.error(at, _unstorable())
            return None
        if strip:
            value = value.strip()
        if not blank and not value.strip():
            self.error(at, _("Must not be empty."))
            return None
        if max_length is not None and len(value) > max_length:
            self.error(at, _too_long(len(value), max_length))
            return None
        return value

    def time(self, parent: dict, key: str, pointer: str) -> dt.datetime | None:
        """An aware datetime, or None (absent, null or wrong: the error is already reported)."""
        value = parent.get(key)
        if value is None:
            return None
        at = f"{pointer}/{key}"
        if not self._expect(value, at, str, MUST_BE_TIME):
            return None
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            self.error(
                at,
                _("Not an ISO 8601 time: %(value)s (expected e.g. 2022-07-15T09:00:00+03:00).")
                % {"value": _shorten(value)},
            )
            return None
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            self.error(
                at,
                _(
                    "The time %(value)s has no offset (such as +03:00 or Z); "
                    "a time without one is not guessed."
                )
                % {"value": _shorten(value)},
            )
            return None
        return parsed

    def boolean(self, parent: dict, key: str, pointer: str, *, default: bool) -> bool | None:
        value = parent.get(key, _MISSING)
        if value is _MISSING or value is None:
            return default
        if not isinstance(value, bool):
            self.error(
                f"{pointer}/{key}",
                _("Must be true or false, not %(found)s.") % {"found": _json_type(value)},
            )
            return None
        return value

    def choice(
        self, parent: dict, key: str, pointer: str, *, choices: tuple[str, ...], default: str
    ) -> str | None:
        value = self.string(parent, key, pointer, default=default)
        if value is None:
            return None
        if value not in choices:
            self.error(
                f"{pointer}/{key}",
                _("Unknown value %(value)s: must be one of %(choices)s.")
                % {"value": _shorten(value), "choices": ", ".join(choices)},
            )
            return None
        return value

    def names(self, parent: dict, key: str, pointer: str, *, max_length: int) -> tuple[str, ...]:
        """A list of names (tags, authors): stripped, each once, in the order given."""
        value = parent.get(key, _MISSING)
        if value is _MISSING or value is None:
            return ()
        at = f"{pointer}/{key}"
        if not self._expect(value, at, list, MUST_BE_LIST):
            return ()
        names: list[str] = []
        for index, item in enumerate(value):
            item_at = f"{at}/{index}"
            if not self._expect(item, item_at, str, MUST_BE_STRING):
                continue
            name = item.strip()
            if _UNSTORABLE.search(name):
                self.error(item_at, _unstorable())
            elif not name:
                self.error(item_at, _("Must not be empty."))
            elif len(name) > max_length:
                self.error(item_at, _too_long(len(name), max_length))
            elif name not in names:
                names.append(name)
        return tuple(names)

    # -- the document --

    def document(
        self,
        data: Any,
        *,
        articles: Iterable[Any] | None = None,
        readers: Iterable[Any] | None = None,
        moderation: dict[str, Iterable[Any]] | None = None,
        keep: bool = True,
    ) -> ArchiveDocument | None:
        """Check the whole document. A streaming reader gives the items of the long lists
        apart (`articles`, `readers`, and `moderation`'s lists by name; the document then
        holds only a stand-in list there); with `keep=False` the items are checked and
        dropped, and only slugs, comment ids and usernames are kept."""
        version = data.get("version") if isinstance(data, dict) else None
        if type(version) is int and version in policy.VERSIONS:
            self.version = version
        keys = DOCUMENT_KEYS_V2 if self.version >= 2 else DOCUMENT_KEYS
        if not self.obj(data, "", keys):
            return None
        fmt = data.get("format", _MISSING)
        if fmt is _MISSING:
            self.error("/format", _("This field is required."))
        elif fmt != policy.FORMAT:
            self.error(
                "/format", _("Must be %(expected)s.") % {"expected": json.dumps(policy.FORMAT)}
            )
        version = data.get("version", _MISSING)
        if version is _MISSING:
            self.error("/version", _("This field is required."))
        elif type(version) is not int or version not in policy.VERSIONS:
            self.error(
                "/version",
                _("Unsupported version %(version)s: this site reads version %(supported)s.")
                % {
                    "version": _shorten(json.dumps(version)),
                    "supported": ", ".join(map(str, policy.VERSIONS)),
                },
            )
        site_name, time_zone = self.site(data.get("site"))
        personal_data = self.boolean(data, "personal_data", "", default=False) or False
        reader_entries = self.readers(
            data.get("readers"), personal_data=personal_data, items=readers, keep=keep
        )
        articles_value = data.get("articles", _MISSING)
        if articles_value is _MISSING:
            self.error("/articles", _("This field is required."))
            return None
        if not self._expect(articles_value, "/articles", list, MUST_BE_LIST):
            return None
        entries: list[ArticleEntry] = []
        slugs: dict[str, str] = {}
        comment_keys: set[tuple[str, str]] = set()
        items = articles_value if articles is None else articles
        for index, value in enumerate(items):
            pointer = f"/articles/{index}"
            article = self.article(value, pointer)
            if article is None:
                continue
            if article.slug in slugs:
                self.error(
                    f"{pointer}/slug",
                    _("Another article has the same slug %(slug)s (at %(other)s).")
                    % {"slug": article.slug, "other": slugs[article.slug]},
                )
                continue
            slugs[article.slug] = f"{pointer}/slug"
            comment_keys.update((article.slug, comment.id) for comment in article.comments)
            streamed = self.streamed_ids.pop(pointer, None)
            if streamed:
                comment_keys.update((article.slug, ident) for ident in streamed)
            if keep:
                entries.append(article)
        return ArchiveDocument(
            site_name=site_name,
            time_zone=time_zone,
            articles=tuple(entries),
            version=self.version,
            personal_data=personal_data,
            readers=reader_entries,
            moderation=self.moderation(
                data.get("moderation"), set(slugs), comment_keys, items=moderation, keep=keep
            ),
        )

    def readers(
        self,
        value: Any,
        *,
        personal_data: bool,
        items: Iterable[Any] | None = None,
        keep: bool = True,
    ) -> tuple[ReaderEntry, ...]:
        if value is None or not self._expect(value, "/readers", list, MUST_BE_LIST):
            return ()
        entries: list[ReaderEntry] = []
        for index, item in enumerate(value if items is None else items):
            entry = self.reader(item, f"/readers/{index}", personal_data=personal_data)
            if entry is not None and keep:
                entries.append(entry)
        return tuple(entries)

    def reader(self, item: Any, pointer: str, *, personal_data: bool) -> ReaderEntry | None:
        """One entry of `readers`; None after reporting its errors."""
        if not self.obj(item, pointer, READER_KEYS):
            return None
        before = len(self.errors)
        username = self.string(
            item, "username", pointer, required=True, blank=False,
            max_length=USERNAME_FIELD_MAX,
        )  # fmt: skip
        display_name = self.string(item, "display_name", pointer, strip=True, max_length=60)
        joined_at = self.time(item, "joined_at", pointer)
        email = self.string(item, "email", pointer, strip=True, max_length=254)
        verified = self.boolean(item, "email_verified", pointer, default=False)
        if (email or verified) and not personal_data:
            self.error(
                f"{pointer}/email",
                _(
                    "The file says it holds no personal data (personal_data is not true), "
                    "yet it has an email."
                ),
            )
        if email and "@" not in email:
            self.error(f"{pointer}/email", _("Not an email address."))
        if username:
            username = unicodedata.normalize("NFC", username)
            seen = self._readers_seen
            if username in seen:
                self.error(
                    f"{pointer}/username",
                    _("Another reader has the same username (at %(other)s).")
                    % {"other": seen[username]},
                )
            seen[username] = f"{pointer}/username"
            self.authors.setdefault(username, []).append(f"{pointer}/username")
        if len(self.errors) > before or username is None:
            return None
        return ReaderEntry(
            pointer=pointer,
            username=username,
            display_name=display_name or "",
            joined_at=joined_at,
            email=email or "",
            email_verified=bool(verified and email),
        )

    def moderation(
        self,
        value: Any,
        slugs: set[str],
        comments: set[tuple[str, str]],
        *,
        items: dict[str, Iterable[Any]] | None = None,
        keep: bool = True,
    ) -> tuple[tuple[str, str, dict[str, Any]], ...]:
        """Reports, sanctions and decisions (docs/archive-format-v2.md): readers by username,
        comments by article slug and comment id, staff by username (or null). A streaming
        reader gives each list's items apart, in `items` by name."""
        if value is None or not self.obj(value, "/moderation", MODERATION_KEYS):
            return ()
        found: list[tuple[str, str, dict[str, Any]]] = []
        for kind in MODERATION_ORDER:
            listed = value.get(kind)
            if listed is None or not self._expect(
                listed, f"/moderation/{kind}", list, MUST_BE_LIST
            ):
                continue
            given = (items or {}).get(kind)
            for index, item in enumerate(listed if given is None else given):
                entry = self.moderation_entry(
                    kind, item, f"/moderation/{kind}/{index}", slugs=slugs, comments=comments
                )
                if entry is not None and keep:
                    found.append(entry)
        return tuple(found)

    def moderation_entry(
        self,
        kind: str,
        item: Any,
        at: str,
        *,
        slugs: set[str] | None = None,
        comments: set[tuple[str, str]] | None = None,
    ) -> tuple[str, str, dict[str, Any]] | None:
        """One report, sanction or decision as (kind, pointer, fields); None after reporting
        its errors. Without `slugs` and `comments` (a file already checked) the articles and
        comments it names are not looked up."""
        keys = MODERATION_SPECS[kind]
        if not self.obj(item, at, keys):
            return None
        before = len(self.errors)
        fields: dict[str, Any] = {}
        for key in sorted(keys):
            if key in {"at", "resolved_at", "starts_at", "ends_at", "lifted_at"}:
                fields[key] = self.time(item, key, at)
            elif key == "counted":
                fields[key] = self.boolean(item, key, at, default=True)
            elif key == "details":
                details = item.get(key) or {}
                if not isinstance(details, dict):
                    self.error(f"{at}/details", MUST_BE_OBJECT % {"found": "value"})
                fields[key] = details
            else:
                fields[key] = self.string(item, key, at, max_length=5000) or ""
        # The rows' own rules, said before the database would.
        if kind == "reports":
            person, when = "reporter", "at"
            if fields["reason"] not in CommentReport.Reason.values:
                self.error(f"{at}/reason", _("Unknown reason."))
            if fields["resolution"] not in CommentReport.Resolution.values:
                self.error(f"{at}/resolution", _("Unknown resolution."))
            if bool(fields["resolution"]) != (fields["resolved_at"] is not None):
                self.error(
                    f"{at}/resolved_at",
                    _("A resolved report has a time, and an open one has none."),
                )
            if comments is not None and (fields["article"], fields["comment"]) not in comments:
                self.error(f"{at}/comment", _("No comment of the file has this id."))
        elif kind == "sanctions":
            person, when = "reader", "starts_at"
            if fields["kind"] not in Sanction.Kind.values:
                self.error(f"{at}/kind", _("Unknown kind."))
            elif (fields["kind"] == "suspension") != (fields["ends_at"] is not None):
                self.error(f"{at}/ends_at", _("A suspension ends, and a ban does not."))
        else:
            person, when = "reader", "at"
            if fields["action"] not in AuditEntry.Action.values:
                self.error(f"{at}/action", _("Unknown action."))
            if slugs is not None and fields["article"] and fields["article"] not in slugs:
                self.error(f"{at}/article", _("No article of the file has this slug."))
            if (
                comments is not None
                and fields["comment"]
                and (fields["article"], fields["comment"]) not in comments
            ):
                self.error(f"{at}/comment", _("No comment of the file has this id."))
        if kind != "sanctions" and fields["comment"]:
            self.moderated.add((fields["article"], fields["comment"]))
        if fields[when] is None:
            self.error(f"{at}/{when}", _("This field is required."))
        if fields[person]:
            fields[person] = unicodedata.normalize("NFC", fields[person])
            self.authors.setdefault(fields[person], []).append(f"{at}/{person}")
        elif kind != "decisions":
            self.error(f"{at}/{person}", _("This field is required."))
        if len(self.errors) > before:
            return None
        return (kind, at, fields)

    def votes(self, value: Any, pointer: str) -> tuple[VoteEntry, ...]:
        if value is None or not self._expect(value, pointer, list, MUST_BE_LIST):
            return ()
        entries: list[VoteEntry] = []
        voters: dict[str, str] = {}
        for index, item in enumerate(value):
            at = f"{pointer}/{index}"
            if not self.obj(item, at, VOTE_KEYS):
                continue
            before = len(self.errors)
            reader = self.string(
                item, "reader", at, required=True, blank=False, max_length=USERNAME_FIELD_MAX
            )
            vote = item.get("value")
            if vote not in (1, -1) or isinstance(vote, bool):
                self.error(f"{at}/value", _("A vote is 1 or -1."))
            when = self.time(item, "at", at)
            if item.get("at") is None:
                self.error(f"{at}/at", _("This field is required."))
            counted = self.boolean(item, "counted", at, default=True)
            if reader:
                reader = unicodedata.normalize("NFC", reader)
                if reader in voters:
                    self.error(
                        f"{at}/reader",
                        _("This reader already voted on this comment (at %(other)s).")
                        % {"other": voters[reader]},
                    )
                voters[reader] = f"{at}/reader"
                self.authors.setdefault(reader, []).append(f"{at}/reader")
            if len(self.errors) > before or reader is None or when is None:
                continue
            entries.append(VoteEntry(at, reader, vote, when, bool(counted)))
        return tuple(entries)

    def site(self, value: Any) -> tuple[str, str]:
        if value is None or not self.obj(value, "/site", SITE_KEYS):
            return "", ""
        name = self.string(value, "name", "/site", max_length=SITE_NAME_MAX) or ""
        zone = self.string(value, "time_zone", "/site", max_length=64) or ""
        if zone:
            try:
                zoneinfo.ZoneInfo(zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                self.error(
                    "/site/time_zone",
                    _("Unknown time zone %(zone)s (expected e.g. Asia/Riyadh).")
                    % {"zone": _shorten(zone)},
                )
                zone = ""
        return name, zone

    def article(self, value: Any, pointer: str) -> ArticleEntry | None:
        if not self.obj(value, pointer, ARTICLE_KEYS):
            return None
        before = len(self.errors)
        title = self.string(
            value, "title", pointer, required=True, blank=False, strip=True, max_length=TITLE_MAX
        )
        slug = self.string(value, "slug", pointer, max_length=SLUG_MAX)
        if slug == "" and title:
            slug = slug_from(title)
        elif slug and not _SLUG.fullmatch(slug):
            self.error(
                f"{pointer}/slug",
                _("Not a valid slug: use letters, digits, hyphens and underscores only."),
            )
        standfirst = self.string(
            value, "standfirst", pointer, strip=True, max_length=STANDFIRST_MAX
        )
        body = self.string(value, "body", pointer, required=True, blank=False)
        language = self.language(value, "language", pointer, default=policy.DEFAULT_LANGUAGE)
        section = self.string(
            value,
            "section",
            pointer,
            default=policy.DEFAULT_SECTION,
            strip=True,
            blank=False,
            max_length=NAME_MAX["section"],
        )
        tags = self.names(value, "tags", pointer, max_length=NAME_MAX["tag"])
        authors = self.names(value, "authors", pointer, max_length=NAME_MAX["author"])
        status = self.choice(
            value,
            "status",
            pointer,
            choices=policy.ARTICLE_STATUSES,
            default=policy.DEFAULT_ARTICLE_STATUS,
        )
        published_at = self.time(value, "published_at", pointer)
        if status in {"published", "scheduled"} and value.get("published_at") is None:
            self.error(
                f"{pointer}/published_at",
                _("This field is required: a %(status)s article needs its publication time.")
                % {"status": status},
            )
        updated_at = self.time(value, "updated_at", pointer)
        comments_open = self.boolean(value, "comments_open", pointer, default=True)
        source = self.source(value.get("source"), f"{pointer}/source")
        comments = self.comments(value.get("comments", _MISSING), f"{pointer}/comments")
        url = self.string(value, "url", pointer, strip=True, max_length=SOURCE_URL_MAX)
        if len(self.errors) > before:
            return None
        # Without an error, every field has its value (None is only ever said with one).
        assert slug is not None and title is not None and standfirst is not None
        assert body is not None and language is not None and section is not None
        assert status is not None and comments_open is not None
        return ArticleEntry(
            pointer=pointer,
            slug=slug,
            title=title,
            standfirst=standfirst,
            body=body,
            language=language,
            section=section,
            tags=tags,
            authors=authors,
            status=status,
            published_at=published_at,
            updated_at=updated_at,
            comments_open=comments_open,
            source_name=source[0],
            source_url=source[1],
            source_language=source[2],
            comments=comments,
            url=url or "",
        )

    def language(self, parent: dict, key: str, pointer: str, *, default: str) -> str | None:
        value = self.string(parent, key, pointer, default=default, max_length=LANGUAGE_MAX)
        if value and not _LANGUAGE.fullmatch(value):
            self.error(
                f"{pointer}/{key}",
                _("Not a language code: %(value)s (expected e.g. ar, en or pt-BR).")
                % {"value": _shorten(value)},
            )
            return None
        return value

    def source(self, value: Any, pointer: str) -> tuple[str, str, str]:
        if value is None or not self.obj(value, pointer, SOURCE_KEYS):
            return "", "", ""
        name = self.string(value, "name", pointer, strip=True, max_length=SOURCE_NAME_MAX)
        url = self.string(value, "url", pointer, strip=True, max_length=SOURCE_URL_MAX)
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                self.error(f"{pointer}/url", _("Not a web address (http:// or https://)."))
        language = self.language(value, "language", pointer, default="")
        return name or "", url or "", language or ""

    def comments(self, value: Any, pointer: str) -> tuple[CommentEntry, ...]:
        if value is _MISSING or value is None or isinstance(value, Streamed):
            return ()  # (a streamed list: its comments were checked one by one)
        if not self._expect(value, pointer, list, MUST_BE_LIST):
            return ()
        entries: list[CommentEntry] = []
        # id -> (pointer, depth, root id) of every comment met so far, valid or not, so that a
        # broken comment does not also make every reply to it an error.
        seen: dict[str, tuple[str, int, str | None]] = {}
        later: dict[str, str] = {}
        for index, item in enumerate(value):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                later.setdefault(item["id"], f"{pointer}/{index}")
        for index, item in enumerate(value):
            entry = self.comment(item, f"{pointer}/{index}", seen=seen, later=later)
            if entry is not None:
                entries.append(entry)
        return tuple(entries)

    def settle_parents(self, seen: dict[str, tuple[str, int, str | None]]) -> None:
        """At the end of a streamed article: each reply whose parent was not seen before it
        answers a comment that comes later, or one that is not there."""
        for at, parent in self.pending:
            if parent in seen:
                self.error(
                    at,
                    _(
                        "The parent %(parent)s comes later (at %(other)s): a reply must come "
                        "after the comment it answers."
                    )
                    % {"parent": _shorten(parent), "other": seen[parent][0].removesuffix("/id")},
                )
            else:
                self.error(
                    at,
                    _("No comment of this article has the id %(parent)s.")
                    % {"parent": _shorten(parent)},
                )
        self.pending = []

    def comment(
        self,
        value: Any,
        pointer: str,
        *,
        seen: dict[str, tuple[str, int, str | None]],
        later: dict[str, str] | None,
    ) -> CommentEntry | None:
        """One comment. `seen` holds the comments of its article met so far; `later` the
        pointers of those that come after it, or None for a stream, where a parent not seen
        yet is settled by `settle_parents` at the article's end."""
        if not self.obj(value, pointer, COMMENT_KEYS_V2 if self.version >= 2 else COMMENT_KEYS):
            return None
        before = len(self.errors)
        ident = self.string(
            value, "id", pointer, required=True, blank=False, max_length=COMMENT_ID_MAX
        )
        depth, root = 0, None
        parent = value.get("parent")
        if parent is not None:
            if not self._expect(
                parent,
                f"{pointer}/parent",
                str,
                MUST_BE_PARENT,
            ):
                parent = None
            elif parent == ident:
                self.error(f"{pointer}/parent", _("A comment cannot reply to itself."))
            elif parent in seen:
                _where, parent_depth, parent_root = seen[parent]
                depth, root = parent_depth + 1, parent_root or parent
                if depth > policy.MAX_DEPTH:
                    self.error(
                        f"{pointer}/parent",
                        _("Replies nest too deeply: at most %(max)s levels.")
                        % {"max": policy.MAX_DEPTH},
                    )
            elif later is None:
                self.pending.append((f"{pointer}/parent", parent))
            elif parent in later:
                self.error(
                    f"{pointer}/parent",
                    _(
                        "The parent %(parent)s comes later (at %(other)s): a reply must come "
                        "after the comment it answers."
                    )
                    % {"parent": _shorten(parent), "other": later[parent]},
                )
            else:
                self.error(
                    f"{pointer}/parent",
                    _("No comment of this article has the id %(parent)s.")
                    % {"parent": _shorten(parent)},
                )
        if ident:
            if ident in seen:
                self.error(
                    f"{pointer}/id",
                    _("Another comment of this article has the same id %(id)s (at %(other)s).")
                    % {"id": _shorten(ident), "other": seen[ident][0]},
                )
            else:
                seen[ident] = (f"{pointer}/id", depth, root)
        author = self.string(
            value, "author", pointer, required=True, blank=False, max_length=USERNAME_FIELD_MAX
        )
        if author:
            # One spelling of a name: the site compares and stores usernames in NFC.
            author = unicodedata.normalize("NFC", author)
            self.authors.setdefault(author, []).append(f"{pointer}/author")
        created_at = self.time(value, "created_at", pointer)
        if value.get("created_at", None) is None:
            self.error(f"{pointer}/created_at", _("This field is required."))
        status = self.choice(
            value,
            "status",
            pointer,
            choices=policy.COMMENT_STATUSES,
            default=policy.DEFAULT_COMMENT_STATUS,
        )
        text = self.text(value, pointer, status=status)
        score = self.score(value, pointer)
        edited_at = self.time(value, "edited_at", pointer)
        votes = self.votes(value.get("votes"), f"{pointer}/votes")
        featured = self.boolean(value, "featured", pointer, default=False)
        if len(self.errors) > before:
            return None
        assert ident is not None and author is not None and created_at is not None
        assert text is not None and score is not None and status is not None
        return CommentEntry(
            pointer=pointer,
            id=ident,
            parent=parent,
            root=root,
            depth=depth,
            author=author,
            created_at=created_at,
            text=text,
            score=score,
            status=status,
            edited_at=edited_at,
            votes=votes,
            featured=bool(featured),
        )

    def text(self, value: dict, pointer: str, *, status: str | None) -> str | None:
        raw = self.string(value, "text", pointer, required=True)
        if raw is None:
            return None
        at = f"{pointer}/text"
        # Longer than a reader may post (COMMENT_MAX) is history, and taken whole.
        if len(raw) > policy.HISTORY_COMMENT_MAX * 2:
            self.error(at, _too_long(len(raw), policy.HISTORY_COMMENT_MAX))
            return None
        text = clean_user_text(raw).strip()
        if len(text) > policy.HISTORY_COMMENT_MAX:
            self.error(at, _too_long(len(text), policy.HISTORY_COMMENT_MAX))
            return None
        if not text and status != "deleted":
            self.error(at, _("Must not be empty (only a deleted comment may have no text)."))
            return None
        return text

    def score(self, value: dict, pointer: str) -> int | None:
        score = value.get("score", _MISSING)
        if score is _MISSING or score is None:
            return 0
        at = f"{pointer}/score"
        if type(score) is float and score.is_integer():
            score = int(score)
        if type(score) is not int:
            self.error(
                at,
                _("Must be a whole number, not %(found)s.")
                % {"found": _shorten(json.dumps(score, ensure_ascii=False))},
            )
            return None
        if not policy.SCORE_MIN <= score <= policy.SCORE_MAX:
            self.error(
                at,
                _("Must be between %(min)s and %(max)s.")
                % {"min": policy.SCORE_MIN, "max": policy.SCORE_MAX},
            )
            return None
        return score


def _too_long(length: int, limit: int) -> str:
    return _("Too long: %(length)s characters where at most %(max)s fit.") % {
        "length": length,
        "max": limit,
    }


def _unstorable() -> str:
    return _("Contains a character that cannot be stored (NUL or a lone surrogate).")


def _printable(value: str) -> str:
    """`value` with lone surrogates written as escapes, so that it can be printed."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _shorten(value: str, limit: int = 60) -> str:
    value = _printable(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"
