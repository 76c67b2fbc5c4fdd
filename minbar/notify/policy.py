"""Notification rules as plain functions (no database)."""

from __future__ import annotations

import datetime as dt
import re

from minbar.accounts.policy import USERNAME_MAX, username_key

# "@name": letters of any script, the digits readers type, "_" and "-" (the username rules),
# not inside a word, an address or a link ("a@b.org", "/@x").
_MENTION = re.compile(r"(?<![\w@/.\-])@([\w\-]{1,%s})" % (USERNAME_MAX + 1))

REPLY = "reply"
MENTION = "mention"
FOLLOWED = "followed"
APPROVED = "approved"
REJECTED = "rejected"

# Which email choice covers which kind (Preferences fields).
EMAIL_CHOICE = {
    REPLY: "email_replies",
    MENTION: "email_mentions",
    FOLLOWED: "email_followed",
    APPROVED: "email_decisions",
    REJECTED: "email_decisions",
}
# What the one-click unsubscribe link in an email of these kinds turns off.
UNSUBSCRIBE_ALL = "all"


def mentioned_keys(text: str, *, limit: int) -> list[str]:
    """The folded username keys mentioned in `text`, first mention first, at most `limit`."""
    keys: list[str] = []
    for match in _MENTION.finditer(text):
        key = username_key(match.group(1).rstrip("-_"))
        if key and key not in keys:
            keys.append(key)
        if len(keys) >= limit:
            break
    return keys


def next_email_at(
    *, last_emailed_at: dt.datetime | None, now: dt.datetime, minutes: int
) -> dt.datetime:
    """When a reader's next notification email may leave: now, or `minutes` after the last."""
    if last_emailed_at is None:
        return now
    return max(now, last_emailed_at + dt.timedelta(minutes=minutes))
