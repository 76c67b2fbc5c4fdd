"""Reading a WordPress export (WXR 1.1 or 1.2): every `<item>` is a page that may carry
comments (`<wp:comment>`), streamed one comment at a time.

A comment's time is `comment_date_gmt` (UTC). WordPress leaves it as 0000-00-00 00:00:00 on
some comments (drafts, pending ones); then `comment_date`, which is the blog's local time, is
read in the zone the caller names (`--time-zone`), and without one it is an error, never a
guess. `comment_approved` 1 is visible, 0 pending, spam rejected (never shown), trash
deleted. Pingbacks and trackbacks are read with their kind, for the importer to count and
leave out. A comment by a registered user (`comment_user_id` of one of the file's
`<wp:author>`s) is that user's; any other is a guest's.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from typing import BinaryIO

from django.utils.translation import gettext as _

from minbar.archive import sources
from minbar.archive.sources import Post, SourceError, SourceInvalid, Thread
from minbar.archive.xmlstream import local, namespace, records, refuse_entities

WXR_NAMESPACES = {
    "http://wordpress.org/export/1.1/": "1.1",
    "http://wordpress.org/export/1.2/": "1.2",
}
STATUSES = {
    "1": sources.VISIBLE,
    "approve": sources.VISIBLE,
    "0": sources.PENDING,
    "hold": sources.PENDING,
    "spam": sources.REJECTED,
    "trash": sources.DELETED,
    "post-trashed": sources.DELETED,
}
_ZERO = "0000-00-00 00:00:00"


def _is_wxr(uri: str) -> bool:
    return "wordpress.org/export/" in uri


def _is_known(uri: str) -> bool:
    # The excerpt namespace lives under the version's: http://wordpress.org/export/1.2/excerpt/
    return any(uri.startswith(known) for known in WXR_NAMESPACES)


def _root(element) -> None:
    if local(element.tag) != "rss":
        raise SourceInvalid(
            [
                SourceError(
                    element.sourceline,
                    _("This is not a WordPress export: its first element is <%(tag)s>, not <rss>.")
                    % {"tag": local(element.tag)},
                )
            ]
        )
    wxr = [uri for uri in element.nsmap.values() if uri and _is_wxr(uri)]
    unknown = [uri for uri in wxr if not _is_known(uri)]
    if unknown or not any(uri in WXR_NAMESPACES for uri in wxr):
        raise SourceInvalid(
            [
                SourceError(
                    element.sourceline,
                    _(
                        "Unknown WordPress export namespace %(found)s: this site reads WXR "
                        "1.1 and 1.2 (%(known)s)."
                    )
                    % {
                        "found": ", ".join(unknown) or _("(none)"),
                        "known": ", ".join(WXR_NAMESPACES),
                    },
                )
            ]
        )


def _fields(element) -> dict[str, str]:
    """The WXR children of `element` by local name, with their text; elements in an unknown
    WordPress namespace are refused."""
    found: dict[str, str] = {}
    for item in element:
        ns = namespace(item.tag)
        if _is_wxr(ns) and not _is_known(ns):
            raise SourceInvalid(
                [
                    SourceError(
                        item.sourceline,
                        _("Unknown WordPress export namespace %(found)s.") % {"found": ns},
                    )
                ]
            )
        found.setdefault(local(item.tag), item.text or "")
    return found


def _time(value: str, *, line: int, name: str, zone: dt.tzinfo | None) -> dt.datetime | None:
    text = value.strip()
    if not text or text == _ZERO:
        return None
    try:
        parsed = dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise SourceInvalid(
            [
                SourceError(
                    line,
                    _("<%(name)s> is not a time: %(value)s (expected e.g. 2021-03-04 10:20:30).")
                    % {"name": name, "value": text[:40]},
                )
            ]
        ) from None
    if zone is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed.replace(tzinfo=zone).astimezone(dt.UTC)


def read(source: BinaryIO | str, *, time_zone: str | None = None) -> Iterator[Thread | Post]:
    """Every page (as a Thread, before its comments) and comment of the file, in file order."""
    zone = zoneinfo.ZoneInfo(time_zone) if time_zone else None
    users: dict[str, tuple[str, str, str]] = {}  # user id -> (login, display name, email)
    item_line = 0
    thread: Thread | None = None
    for element in records(source, depth=2, tags=["item", "{*}author"], on_root=_root):
        # Depth 2 is a child of <channel>: authors, items, and the channel's own fields.
        name = local(element.tag)
        refuse_entities(element)
        if name == "author" and _is_wxr(namespace(element.tag)):
            fields = _fields(element)
            users[fields.get("author_id", "").strip()] = (
                fields.get("author_login", "").strip(),
                fields.get("author_display_name", ""),
                fields.get("author_email", ""),
            )
            continue
        if name != "item":
            continue
        item_line = element.sourceline
        fields = _fields(element)
        thread = Thread(
            key=fields.get("post_id", "").strip() or f"line-{item_line}",
            link=fields.get("link", "").strip(),
            title=" ".join(fields.get("title", "").split()),
            line=item_line,
        )
        comments = [c for c in element if local(c.tag) == "comment" and namespace(c.tag)]
        if not comments:
            continue
        yield thread
        for comment in comments:
            yield _comment(comment, thread=thread, users=users, zone=zone)


def _comment(element, *, thread: Thread, users: dict, zone: dt.tzinfo | None) -> Post:
    line = element.sourceline
    fields = _fields(element)
    comment_id = fields.get("comment_id", "").strip()
    if not comment_id:
        raise SourceInvalid([SourceError(line, _("The comment has no <wp:comment_id>."))])
    created = _time(
        fields.get("comment_date_gmt", ""), line=line, name="comment_date_gmt", zone=None
    )
    if created is None:
        local_time = fields.get("comment_date", "")
        if zone is None and local_time.strip() and local_time.strip() != _ZERO:
            raise SourceInvalid(
                [
                    SourceError(
                        line,
                        _(
                            "The comment has no UTC time (comment_date_gmt) and its local time "
                            "%(value)s has no time zone: give the blog's zone with --time-zone."
                        )
                        % {"value": local_time.strip()},
                    )
                ]
            )
        created = _time(local_time, line=line, name="comment_date", zone=zone)
    if created is None:
        raise SourceInvalid([SourceError(line, _("The comment has no time."))])
    approved = fields.get("comment_approved", "1").strip().lower()
    if approved not in STATUSES:
        raise SourceInvalid(
            [
                SourceError(
                    line,
                    _("Unknown comment status %(value)s in <wp:comment_approved>.")
                    % {"value": approved[:40]},
                )
            ]
        )
    user = users.get(fields.get("comment_user_id", "0").strip())
    if user and user[0]:
        who = sources.person(
            username=user[0],
            name=user[1] or fields.get("comment_author", ""),
            email=user[2] or fields.get("comment_author_email", ""),
        )
    else:
        who = sources.person(
            username="",
            name=fields.get("comment_author", ""),
            email=fields.get("comment_author_email", ""),
        )
    parent = fields.get("comment_parent", "0").strip()
    karma = fields.get("comment_karma", "0").strip() or "0"
    try:
        score = int(karma)
    except ValueError:
        score = 0
    return Post(
        id=comment_id,
        thread=thread.key,
        parent=None if parent in ("", "0") else parent,
        author=who,
        created_at=created,
        html=fields.get("comment_content", ""),
        score=score,
        status=STATUSES[approved],
        line=line,
        kind=fields.get("comment_type", "").strip().lower() or "comment",
    )
