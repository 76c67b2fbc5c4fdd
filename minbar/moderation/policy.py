"""Pure rules of moderation: no database, no cache, no request. Table-tested."""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import re
from dataclasses import dataclass
from functools import lru_cache

OFF = "off"
NEW_READERS = "new"
ALL = "all"
MODES = (OFF, NEW_READERS, ALL)

# An account is new for this long after it was made (its own, stricter, posting limits).
NEW_ACCOUNT_AGE = dt.timedelta(days=1)
# Suspensions moderators may choose, in days.
SUSPENSION_DAYS = (1, 3, 7, 30)
# The "recently rejected" queue looks this far back.
RECENTLY_REJECTED = dt.timedelta(days=30)
# A reader's reports count toward hiding a comment, and their votes toward its score, once the
# account is this old and has a verified email address (decision 0008).
ESTABLISHED_ACCOUNT_AGE = dt.timedelta(days=3)


# --- pre-moderation --------------------------------------------------------------------------


def effective_mode(*, site_mode: str, article_mode: str | None) -> str:
    """The article's own choice wins over the site's; an empty or unknown one defers to it."""
    if article_mode in MODES:
        return article_mode
    return site_mode if site_mode in MODES else OFF


def is_new_reader(*, visible_comments: int, required: int) -> bool:
    """A reader is new until `required` of their comments have been visible."""
    return visible_comments < required


# Links as a spammer writes them: a scheme, or a bare www. host. Markdown links carry a scheme.
_LINK = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)")


def count_links(text: str) -> int:
    """Addresses written out in plain text (not links to click, but links to copy)."""
    return len(_LINK.findall(text))


def count_shown_links(*, hrefs: tuple[str, ...], text_outside_links: str) -> int:
    """The links a reader gets from a rendered comment: every link element (however its address
    was written in the Markdown: autolink, reference, "//host", entities), and every address
    written out in the text around them."""
    return len(hrefs) + count_links(text_outside_links)


@dataclass(frozen=True)
class Hold:
    """Why a new comment waits for a moderator (empty `reasons`: it is shown at once)."""

    reasons: tuple[str, ...] = ()

    @property
    def held(self) -> bool:
        return bool(self.reasons)


def initial_hold(
    *,
    mode: str,
    is_new: bool,
    links: int,
    max_links_for_new: int,
    suspect_words: list[str],
) -> Hold:
    """Whether a comment that passed every refusal is shown at once or waits, and why."""
    reasons = []
    if mode == ALL:
        reasons.append("premoderation")
    elif mode == NEW_READERS and is_new:
        reasons.append("new-reader")
    if is_new and links > max_links_for_new:
        reasons.append("links")
    if suspect_words:
        reasons.append("suspect-words")
    return Hold(tuple(reasons))


# --- closing ---------------------------------------------------------------------------------


def auto_closed(*, published_at: dt.datetime | None, now: dt.datetime, days: int | None) -> bool:
    """Comments close `days` after publication; applied when reading, so no job has to run."""
    if not days or published_at is None:
        return False
    return now >= published_at + dt.timedelta(days=days)


def comments_open(
    *, flag: bool, published_at: dt.datetime | None, now: dt.datetime, auto_close_days: int | None
) -> bool:
    return flag and not auto_closed(published_at=published_at, now=now, days=auto_close_days)


# --- readers ---------------------------------------------------------------------------------


def is_new_account(*, joined_at: dt.datetime, now: dt.datetime) -> bool:
    return now - joined_at < NEW_ACCOUNT_AGE


def is_established(
    *, joined_at: dt.datetime, now: dt.datetime, has_verified_email: bool, staff_or_moderator: bool
) -> bool:
    """Whether a reader's reports and votes count (weight 1) or are only recorded (weight 0).

    Three accounts made a minute ago must not be able to hide a comment or bury it: a throwaway
    account costs seconds, an account three days old with a mailbox behind it costs more than
    a spammer usually spends. Moderators and staff are trusted by their role."""
    if staff_or_moderator:
        return True
    return has_verified_email and now - joined_at >= ESTABLISHED_ACCOUNT_AGE


_NOT_LETTERS = re.compile(r"[\W_]+")
_RUNS = re.compile(r"(.)\1+")


def letters_key(folded: str) -> str:
    """Letters and digits of an already folded text, runs squeezed to one: "ك.لللب" → "كلب".

    If a word-list entry matches a text (search.arabic.normalise.find_words), the key of the
    entry is a substring of the key of the text: separators, stretched letters and attached
    prefixes only add to or repeat what is around it. So the substring test is a cheap filter
    that never drops a real match, run before the regular expressions."""
    return _RUNS.sub(r"\1", _NOT_LETTERS.sub("", folded))


def duplicate_key(text: str) -> str:
    """Two comments are "identical" when they differ only in spacing."""
    return " ".join(text.split())


# --- rates -----------------------------------------------------------------------------------

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.amount}/{self.seconds}s"


@lru_cache(maxsize=64)
def parse_rates(spec: str) -> tuple[Rate, ...]:
    """ "2/1s,200/1d" → (Rate(2, 1), Rate(200, 86400)). An empty spec is no limit."""
    rates = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = _RATE.match(part)
        if not match:
            raise ValueError(f"bad rate {part!r}: expected e.g. 10/1m")
        amount, count, unit = int(match[1]), int(match[2] or 1), match[3]
        if amount < 1 or count < 1:
            raise ValueError(f"bad rate {part!r}: amount and period must be positive")
        rates.append(Rate(amount, count * _UNITS[unit]))
    return tuple(rates)


def window_of(*, now: float, seconds: int, anchor: float = 0.0) -> tuple[int, int]:
    """The fixed window that `now` falls in (counted from `anchor`) and the whole seconds until
    it ends, at least 1 (the value of Retry-After)."""
    index = math.floor((now - anchor) / seconds)
    ends = anchor + (index + 1) * seconds
    return index, max(1, math.ceil(ends - now))


# --- the client's address --------------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Addresses or networks ("10.0.0.1", "10.0.0.0/8", "::1"); a bad entry is an error, so a
    typo in the setting is found at the first request and not silently ignored."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None, networks: tuple[Network, ...]
) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(*, remote_addr: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The reader's address. X-Forwarded-For is believed only when the request comes from a
    trusted proxy, and only as far as the chain of trusted proxies goes: reading from the right,
    the first address that is not a trusted proxy is the client (anything left of it was written
    by the client and may be forged). A malformed hop falls back to the connecting address."""
    if not _trusted(_address(remote_addr), trusted) or not forwarded_for.strip():
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote_addr
        if not _trusted(address, trusted):
            return str(address)
    # Every hop is a trusted proxy: the leftmost one is as close to the client as we can see.
    return str(_address(hops[0]))
