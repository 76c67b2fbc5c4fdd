"""What the Disqus and WordPress readers hand to the importer: threads (pages on the old site)
and the comments under them, in one shape whatever the platform, and the errors they find,
each at its line in the file.

No database here, and no platform either: the readers are minbar.archive.disqus and
minbar.archive.wordpress; the importer is minbar.archive.migrate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Where a comment came from decides its import id prefix and the accounts' identity space.
DISQUS = "disqus"
WORDPRESS = "wordpress"

# A comment's status in Minbar's words; spam is "rejected", so it is never shown.
VISIBLE, PENDING, REJECTED, DELETED = "visible", "pending", "rejected", "deleted"


@dataclass(frozen=True)
class SourceError:
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class SourceInvalid(Exception):
    """The file cannot be imported; `errors` says every reason found, in file order."""

    def __init__(self, errors: list[SourceError]):
        super().__init__(f"{len(errors)} error(s) in the file")
        self.errors = errors


@dataclass(frozen=True)
class Person:
    """A comment's author as the old platform knew them.

    `identity` is what makes two comments the same person's: the platform username of a
    registered account, else the guest's email, else the guest's name.
    """

    identity: str
    username: str  # the platform username, or "" for a guest
    name: str  # the name shown on the old platform
    email: str

    @property
    def is_guest(self) -> bool:
        return not self.username


@dataclass(frozen=True)
class Thread:
    key: str  # the platform's id of the page
    link: str
    title: str
    line: int


@dataclass(frozen=True)
class Post:
    """One comment, or a pingback or trackback (`kind`), as the file has it."""

    id: str
    thread: str
    parent: str | None
    author: Person
    created_at: dt.datetime  # aware, UTC
    html: str
    score: int
    status: str
    line: int
    kind: str = "comment"  # or "pingback", "trackback"


def person(*, username: str, name: str, email: str) -> Person:
    username, name, email = username.strip(), " ".join(name.split()), email.strip()
    if username:
        identity = f"user:{username}"
    elif email:
        identity = f"email:{email.lower()}"
    else:
        identity = f"name:{name.casefold()}"
    return Person(identity=identity, username=username, name=name, email=email)
