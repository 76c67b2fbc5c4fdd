"""discussion asks moderation's checks through its gate, without importing moderation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from minbar.discussion import gate
from minbar.discussion.actions import check_post_comment
from minbar.moderation.gate import ModerationGate
from tests.factories import make_article, make_established_reader

pytestmark = pytest.mark.django_db


def test_moderation_installs_its_gate_when_django_starts():
    assert isinstance(gate.get_gate(), ModerationGate)


def test_reader_cannot_post_when_no_gate_is_installed(monkeypatch):
    # Without moderation's answers a post fails loudly instead of going through unchecked.
    monkeypatch.setattr(gate, "_installed", [])
    article = make_article()
    reader = make_established_reader()
    with pytest.raises(ImproperlyConfigured):
        check_post_comment(article=article, author=reader, text="نص تعليق")
