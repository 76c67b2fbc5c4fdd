"""Reading a Disqus XML export: `<thread>` elements (the pages) and `<post>` elements (the
comments), streamed one at a time.

A post names its thread and its parent by `dsq:id`. Its author is registered when it has a
username and is not anonymous, else a guest. `isSpam` makes it rejected (never shown),
`isDeleted` deleted, `isApproved` false pending; `likes` and `dislikes`, when the export has
them, become its imported score. Times (`createdAt`) are UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from minbar.archive import sources
from minbar.archive.sources import Post, SourceError, SourceInvalid, Thread
from minbar.archive.xmlstream import children, local, records, refuse_entities, text_of

DISQUS_NS = "http://disqus.com"
INTERNALS_NS = "http://disqus.com/disqus-internals"
DSQ_ID = f"{{{INTERNALS_NS}}}id"


def _root(element) -> None:
    if local(element.tag) != "disqus":
        raise SourceInvalid(
            [
                SourceError(
                    element.sourceline,
                    _("This is not a Disqus export: its first element is <%(tag)s>, not <disqus>.")
                    % {"tag": local(element.tag)},
                )
            ]
        )


def _text(fields: dict, name: str) -> str:
    item = fields.get(name)
    return (item.text or "") if item is not None else ""


def _flag(element, name: str, *, default: bool = False, fields: dict | None = None) -> bool:
    value = (_text(fields, name) if fields is not None else text_of(element, name)).strip()
    value = value.lower()
    if not value:
        return default
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise SourceInvalid(
        [
            SourceError(
                element.sourceline,
                _("<%(name)s> must be true or false, not %(value)s.")
                % {"name": name, "value": value[:40]},
            )
        ]
    )


def parse_time(value: str, *, line: int, what: str) -> dt.datetime:
    text = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or not text:
        raise SourceInvalid(
            [
                SourceError(
                    line,
                    _("<%(name)s> is not a time: %(value)s (expected e.g. 2021-03-04T10:20:30Z).")
                    % {"name": what, "value": text[:40] or '""'},
                )
            ]
        )
    # Disqus writes UTC; a time without an offset in a Disqus file is UTC too.
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _count(element, name: str, fields: dict) -> int:
    value = _text(fields, name).strip()
    if not value:
        return 0
    if not value.isdigit() or len(value) > 9:
        raise SourceInvalid(
            [
                SourceError(
                    element.sourceline,
                    _("<%(name)s> must be a whole number, not %(value)s.")
                    % {"name": name, "value": value[:40]},
                )
            ]
        )
    return int(value)


def _dsq_id(element: Any, what: str) -> str:
    value = _dsq_id_or_none(element, what)
    assert value is not None  # a missing id is refused
    return value


def _dsq_id_or_none(element: Any, what: str, *, required: bool = True) -> str | None:
    value = (element.get(DSQ_ID) or "").strip() if element is not None else ""
    if not value:
        if not required:
            return None
        line = element.sourceline if element is not None else None
        raise SourceInvalid([SourceError(line, _("<%(name)s> has no dsq:id.") % {"name": what})])
    return value


def read(source: BinaryIO | str) -> Iterator[Thread | Post]:
    """Every thread and post of the file, in file order; raises SourceInvalid at the first
    thing that cannot be read (the line is in the error)."""
    for element in records(source, depth=1, tags=["{*}thread", "{*}post"], on_root=_root):
        name = local(element.tag)
        if name not in ("thread", "post"):
            continue  # categories, and anything a later export adds
        refuse_entities(element)
        line = element.sourceline
        if name == "thread":
            yield Thread(
                key=_dsq_id(element, "thread"),
                link=text_of(element, "link").strip(),
                title=" ".join(text_of(element, "title").split()),
                line=line,
            )
            continue
        post_id = _dsq_id(element, "post")
        fields = children(element)
        thread = fields.get("thread")
        if thread is None:
            raise SourceInvalid([SourceError(line, _("The post has no <thread>."))])
        author = fields.get("author")
        who_fields = children(author) if author is not None else {}
        anonymous = _flag(author, "isAnonymous", fields=who_fields) if author is not None else True
        who = sources.person(
            username="" if anonymous else _text(who_fields, "username"),
            name=_text(who_fields, "name"),
            email=_text(who_fields, "email"),
        )
        if _flag(element, "isSpam", fields=fields):
            status = sources.REJECTED
        elif _flag(element, "isDeleted", fields=fields):
            status = sources.DELETED
        elif not _flag(element, "isApproved", default=True, fields=fields):
            status = sources.PENDING
        else:
            status = sources.VISIBLE
        yield Post(
            id=post_id,
            thread=_dsq_id(thread, "thread"),
            parent=_dsq_id_or_none(fields.get("parent"), "parent", required=False),
            author=who,
            created_at=parse_time(_text(fields, "createdAt"), line=line, what="createdAt"),
            html=_text(fields, "message"),
            score=_count(element, "likes", fields) - _count(element, "dislikes", fields),
            status=status,
            line=line,
        )
