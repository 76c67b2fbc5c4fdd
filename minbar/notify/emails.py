"""Notification emails: one message for one notification, a digest for several; Arabic and
right to left (English for readers who chose it), with a plain-text part, and a one-click
unsubscribe link (RFC 8058) signed for the reader."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minbar.accounts.models import User
from minbar.notify.models import Notification

UNSUBSCRIBE_SALT = "minbar.notify.unsubscribe"
# A digest lists this many notifications and counts the rest (a burst of 500 stays readable).
DIGEST_MAX = 50


def unsubscribe_token(reader_id: int) -> str:
    return signing.dumps({"r": reader_id}, salt=UNSUBSCRIBE_SALT, compress=False)


def reader_of_token(token: str) -> int | None:
    """The reader a token was made for, or None when it is forged, damaged or expired."""
    try:
        data = signing.loads(
            token, salt=UNSUBSCRIBE_SALT, max_age=settings.MINBAR_UNSUBSCRIBE_DAYS * 86400
        )
    except signing.BadSignature:
        return None
    reader = data.get("r") if isinstance(data, dict) else None
    return reader if isinstance(reader, int) else None


def _absolute(path: str) -> str:
    return settings.MINBAR_SITE_URL + path


def describe(notification: Notification) -> str:
    """What happened, in one sentence (the active language)."""
    who = notification.comment.author.public_name
    title = notification.comment.article.title
    kind = notification.kind
    if kind == Notification.Kind.REPLY:
        return _("%(who)s replied to your comment on “%(title)s”.") % {"who": who, "title": title}
    if kind == Notification.Kind.MENTION:
        return _("%(who)s mentioned you on “%(title)s”.") % {"who": who, "title": title}
    if kind == Notification.Kind.FOLLOWED:
        return _("%(who)s commented on “%(title)s”, a discussion you follow.") % {
            "who": who,
            "title": title,
        }
    if kind == Notification.Kind.APPROVED:
        return _("A moderator approved your comment on “%(title)s”.") % {"title": title}
    return _("A moderator rejected your comment on “%(title)s”.") % {"title": title}


def build_message(
    reader: User, address: str, items: list[Notification], *, language: str
) -> EmailMultiAlternatives:
    token = unsubscribe_token(reader.pk)
    with translation.override(language):
        unsubscribe = _absolute(reverse("notify:unsubscribe", args=[token]))
        entries = [
            {
                "text": describe(n),
                "reason": n.reason,
                "excerpt": n.comment.body[:300] if n.kind != Notification.Kind.REJECTED else "",
                "url": _absolute(n.comment.get_absolute_url()),
            }
            for n in items[:DIGEST_MAX]
        ]
        more = len(items) - len(entries)
        rest = (
            ngettext(
                "… and %(n)s more on your notifications page.",
                "… and %(n)s more on your notifications page.",
                more,
            )
            % {"n": more}
            if more > 0
            else ""
        )
        if len(items) == 1:
            subject = entries[0]["text"]
        else:
            subject = ngettext("%(n)s new notification", "%(n)s new notifications", len(items)) % {
                "n": len(items)
            }
        context = {
            "reader": reader,
            "entries": entries,
            "rest": rest,
            "subject": subject,
            "site_name": settings.MINBAR_SITE_NAME,
            "inbox": _absolute(reverse("notify:inbox")),
            "settings_url": _absolute(reverse("notify:preferences")),
            "unsubscribe": unsubscribe,
            "language": language,
            "direction": "rtl" if language == "ar" else "ltr",
        }
        text = render_to_string("notify/email.txt", context)
        html = render_to_string("notify/email.html", context)
        message = EmailMultiAlternatives(
            subject=f"[{settings.MINBAR_SITE_NAME}] {subject}",
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(html, "text/html")
    return message
