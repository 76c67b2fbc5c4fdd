"""Which reader a request may see. Every account has a public profile, the inactive accounts the
archive importer made included (their comments are on the site); a missing one is a 404."""

from __future__ import annotations

from django.http import Http404

from minbar.accounts.models import User
from minbar.accounts.policy import username_key


def access_reader_for_profile(*, username: str) -> User:
    """The reader whose name is `username`, or whose name looks the same (the folded key is
    unique, so at most one matches); the view sends a look-alike address to the real one."""
    if len(username) > 150:
        raise Http404
    # The exact name first: two names that already looked alike when the fold grew keep
    # their own profiles (see the accounts migration 0002).
    reader = User.objects.filter(username=username).first()
    if reader is None:
        reader = User.objects.filter(username_key=username_key(username)).first()
    if reader is None:
        raise Http404
    return reader
