"""In the background worker: what a posted comment or a moderator's decision tells readers.
Both are idempotent (see actions); an error raises and the delivery is tried again."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from minbar.core.signals import comment_decided, comment_posted
from minbar.notify import actions, tasks


@receiver(comment_posted, dispatch_uid="notify-comment-posted")
def on_comment_posted(sender: object, *, comment_id: int, **kwargs: Any) -> None:
    made = actions.do_notify_posted(comment_id=comment_id)
    tasks.queue_emails(reader_ids=made.to_email)


@receiver(comment_decided, dispatch_uid="notify-comment-decided")
def on_comment_decided(
    sender: object, *, comment_id: int, decision: str, reason: str = "", **kwargs: Any
) -> None:
    made = actions.do_notify_decided(comment_id=comment_id, decision=decision, reason=reason)
    tasks.queue_emails(reader_ids=made.to_email)
