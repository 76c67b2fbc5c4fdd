"""Every change to an account. `check_*` applies the rules to what a reader typed and raises
AccountError with a reader-facing message; `do_*` changes state atomically.

django-allauth drives sign-up, sign-in and password reset; it reaches these functions through
minbar.accounts.adapter, so the sign-up page, the importer and the tests make readers one way.
"""

from __future__ import annotations

import unicodedata

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minbar.accounts import policy, selectors
from minbar.accounts.errors import AccountError
from minbar.accounts.models import User
from minbar.core.text import clean_user_text

# Unicode isolates around a name quoted inside a message, so a right-to-left name cannot move
# the punctuation of a left-to-right sentence (or the other way round).
_FSI, _PDI = "\u2068", "\u2069"


def _username_message(code: str) -> str:
    messages = {
        "invisible": _(
            "A username cannot contain invisible characters (control, formatting, text-direction "
            "or zero-width characters)."
        ),
        "characters": _(
            "A username may contain only letters, digits, “_” and “-”: no spaces, punctuation, "
            "symbols or marks such as harakat."
        ),
        "mixed-scripts": _(
            "A username must use the letters of one script only, for example Arabic or Latin "
            "letters but not both."
        ),
        "no-letter": _("A username needs at least one letter."),
        "length": _("A username must be between %(min)s and %(max)s characters long.")
        % {"min": policy.USERNAME_MIN, "max": policy.USERNAME_MAX},
        "reserved": _("This username is reserved. Please choose another."),
    }
    return messages[code]


def _taken_error(username: str, existing: str) -> AccountError:
    if existing == username:
        return AccountError(
            "username-taken", _("This username is already taken."), field="username"
        )
    return AccountError(
        "username-lookalike",
        _(
            "This username looks the same as “%(existing)s”, which is already taken. "
            "Please choose another."
        )
        % {"existing": f"{_FSI}{existing}{_PDI}"},
        field="username",
    )


def check_username(
    username: str, *, against_existing: bool = True, exclude_user_id: int | None = None
) -> str:
    """The username as it will be stored (NFC), or a refusal.

    With `against_existing`, a name whose folded key belongs to someone else is refused: "Reem_K"
    after "reem_k", "كريـــم" or "کریم" after "كريم", "user٣" after "user3". The database's
    unique `username_key` is the final word (see `do_create_reader`); this check gives the
    reader the message before that. `exclude_user_id` is the account being renamed.
    """
    if len(username) > policy.USERNAME_MAX * 4:
        raise AccountError("length", _username_message("length"), field="username")
    username = unicodedata.normalize("NFC", username)
    problems = policy.username_problems(username)
    if problems:
        raise AccountError(problems[0], _username_message(problems[0]), field="username")
    if against_existing:
        existing = selectors.find_username_like(username, exclude_user_id=exclude_user_id)
        if existing is not None:
            raise _taken_error(username, existing)
        if selectors.is_name_shown_by_another(username, exclude_user_id=exclude_user_id):
            # Another reader's display name: say so without naming whose.
            raise AccountError(
                "username-lookalike",
                _(
                    "This username looks the same as a name another reader already shows. "
                    "Please choose another."
                ),
                field="username",
            )
    return username


def do_create_reader(
    *, username: str, email: str, password: str | None, instance: User | None = None
) -> User:
    """Save a new reader; `username` has passed `check_username`.

    Two sign-ups of look-alike names can pass the check at the same moment; the unique
    `username_key` lets one in and the other gets the same refusal as the check would have
    given, never an error page. `instance` is the unsaved user allauth has already made.
    """
    user = instance if instance is not None else User()
    user.username = username
    user.email = email
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        existing = selectors.find_username_like(username)
        if existing is None:
            raise
        raise _taken_error(username, existing) from error
    return user


def _display_name_message(code: str) -> str:
    messages = {
        "invisible": _(
            "A display name cannot contain invisible characters (control, formatting, "
            "text-direction or zero-width characters)."
        ),
        "characters": _(
            "A display name cannot use look-alike forms of letters (presentation forms, "
            "full-width letters, ligatures) or marks other than harakat."
        ),
        "mixed-scripts": _(
            "Each word of a display name must use the letters of one script only, for "
            "example Arabic or Latin letters but not both in one word."
        ),
        "no-letter": _("A display name needs at least one letter."),
        "length": _("A display name can be at most %(max)s characters long.")
        % {"max": policy.DISPLAY_NAME_MAX},
        "reserved": _(
            "This display name would pass for the site or its staff. Please choose another."
        ),
        "lookalike": _(
            "This display name looks the same as a name another reader already uses. "
            "Please choose another."
        ),
    }
    return messages[code]


def check_display_name(display_name: str, *, user: User) -> str:
    """The display name `user` may show, as it will be stored (empty: the username shows).

    The username rules, fitted to a name with spaces (see `policy.display_name_problems`),
    and no look-alike of a name another reader shows, as username or display name. Staff
    may use the words reserved for the site and its roles. Invisible characters are refused
    rather than silently removed: the reader should know that what they pasted was not what
    it looked like. The unique `display_name_key` is the final word (`do_change_display_name`).
    """
    if len(display_name) > policy.DISPLAY_NAME_MAX * 4:
        raise AccountError("length", _display_name_message("length"), field="display_name")
    problems = policy.display_name_problems(
        unicodedata.normalize("NFC", display_name.strip()), is_staff=user.is_staff
    )
    if "invisible" in problems:
        raise AccountError("invisible", _display_name_message("invisible"), field="display_name")
    cleaned = " ".join(clean_user_text(display_name).split())
    problems = policy.display_name_problems(cleaned, is_staff=user.is_staff)
    if problems:
        raise AccountError(problems[0], _display_name_message(problems[0]), field="display_name")
    if cleaned and selectors.is_name_shown_by_another(cleaned, exclude_user_id=user.pk):
        raise AccountError("lookalike", _display_name_message("lookalike"), field="display_name")
    return cleaned


def do_change_display_name(user: User, *, display_name: str) -> None:
    """Show `display_name` (it has passed `check_display_name`). Two readers taking look-alike
    names at the same moment: the unique `display_name_key` lets one in, the other gets the
    check's refusal."""
    previous = user.display_name, user.display_name_key
    user.display_name = display_name
    try:
        with transaction.atomic():
            user.save(update_fields=["display_name"])
    except IntegrityError as error:
        user.display_name, user.display_name_key = previous
        raise AccountError(
            "lookalike", _display_name_message("lookalike"), field="display_name"
        ) from error


def do_set_password(user: User, *, password: str) -> None:
    """Set a new password; for an unclaimed imported account this is the claim.

    The importer makes inactive accounts with unusable passwords for the authors of old
    comments. The only way in is a password reset mailed to the account's address (staff add it
    in the admin when the reader asks), so reaching this function proves the reader owns that
    mailbox: the account becomes active and the address verified.
    """
    claiming = policy.is_unclaimed_import(
        is_active=user.is_active,
        has_usable_password=user.has_usable_password(),
        has_signed_in=user.last_login is not None,
    )
    user.set_password(password)
    with transaction.atomic():
        if not claiming:
            user.save(update_fields=["password"])
            return
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        if user.email:
            do_mark_email_verified(user)


def do_mark_email_verified(user: User) -> None:
    """Record the account's address as verified and primary (a claim proved it; the demo's
    accounts are made verified). Left alone when another account holds the address."""
    from allauth.account.models import EmailAddress

    address = user.email.lower()
    if EmailAddress.objects.filter(email__iexact=address).exclude(user=user).exists():
        # Someone else already holds this address: the claim stands, the address stays theirs.
        return
    EmailAddress.objects.filter(user=user, primary=True).exclude(email=address).update(
        primary=False
    )
    EmailAddress.objects.update_or_create(
        user=user, email=address, defaults={"verified": True, "primary": True}
    )
