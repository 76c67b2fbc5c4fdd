"""Pure rules of the discussion: no database here."""

from __future__ import annotations

import datetime as dt
import math

EDIT_WINDOW = dt.timedelta(minutes=10)
# Replies nest this deep on the page; deeper ones are shown at this depth with "in reply to".
MAX_VISUAL_DEPTH = 3
THREADS_PER_PAGE = 100
ORDERS = ("oldest", "best", "newest")
DEFAULT_ORDER = "oldest"
# z for an 80% confidence interval, as in the usual "best" comment ranking.
_Z = 1.2815515655446004


def wilson_lower_bound(up: int, down: int) -> float:
    """Lower bound of the Wilson score interval for the share of up votes."""
    n = up + down
    if n <= 0:
        return 0.0
    phat = up / n
    z2 = _Z * _Z
    centre = phat + z2 / (2 * n)
    spread = _Z * math.sqrt((phat * (1 - phat) + z2 / (4 * n)) / n)
    return (centre - spread) / (1 + z2 / n)


def best_rank(*, upvotes: int, downvotes: int, imported_score: int) -> float:
    """The "best" rank, counting an imported net score as that many extra up or down votes."""
    return wilson_lower_bound(upvotes + max(imported_score, 0), downvotes + max(-imported_score, 0))


def within_edit_window(*, created_at: dt.datetime, now: dt.datetime) -> bool:
    return now - created_at <= EDIT_WINDOW


def fits_on_one_page(visible_comments: int) -> bool:
    """Whether a discussion certainly shows all its threads on page 1: it cannot have more
    threads than visible comments (a reader's own pending comments aside)."""
    return visible_comments <= THREADS_PER_PAGE


def parse_order(value: str | None) -> str:
    return value if value in ORDERS else DEFAULT_ORDER
