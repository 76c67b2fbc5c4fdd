"""`manage.py check` says when the search index needs `rebuild_search_index`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db import DatabaseError
from django.utils.translation import gettext as _

REBUILD_HINT = "Run: python manage.py rebuild_search_index"


@checks.register("search")
def check_index_is_current(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Warn when the index was built by another analyser, with other protected words, or is
    missing articles. Searching keeps working meanwhile; it only finds less well."""
    from minbar.search.arabic.analyser import ANALYSER_VERSION
    from minbar.search.selectors import get_protected_words

    try:
        from minbar.search.actions import STATE, protected_digest
        from minbar.search.documents import indexable_articles
        from minbar.search.models import ArticleEntry, IndexState

        state = IndexState.objects.filter(name=STATE).first()
        missing = indexable_articles().count() - ArticleEntry.objects.count()
        digest = protected_digest(get_protected_words())
    except DatabaseError:
        return []  # no database yet (before `migrate`), or not reachable: nothing to compare
    warnings: list[checks.CheckMessage] = []
    if state is not None and state.analyser_version != ANALYSER_VERSION:
        warnings.append(
            checks.Warning(
                _(
                    "The search index was built with analyser version %(old)s; this code has "
                    "version %(new)s. Searches work but match less well until it is rebuilt."
                )
                % {"old": state.analyser_version, "new": ANALYSER_VERSION},
                hint=REBUILD_HINT,
                id="search.W001",
            )
        )
    if state is not None and state.protected_digest != digest:
        warnings.append(
            checks.Warning(
                _("The protected words changed since the search index was built."),
                hint=REBUILD_HINT,
                id="search.W002",
            )
        )
    if missing > 0:
        warnings.append(
            checks.Warning(
                _("%(count)s published articles are missing from the search index.")
                % {"count": missing},
                hint=REBUILD_HINT,
                id="search.W003",
            )
        )
    return warnings
