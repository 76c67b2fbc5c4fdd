"""The search index's rows, the state it was built in, and the staff's protected words.

An entry's primary key is its *search key*: the document's date in seconds, shifted left by
`KEY_SHIFT` bits, with the low bits taken from the article's or comment's own id (see
`policy.search_key`); the date is not stored again. For a comment the date is when it became
readable: the later of its posting and its article's publication. Keys therefore sort by date,
which lets both engines walk matches newest first, cut date ranges and the "not yet published"
boundary as a key range, and break ties the same way. The analysed text itself lives beside
these rows: in FTS5 tables on SQLite, in a `document tsvector` column of the same tables on
PostgreSQL (made by migrations 0001 and 0002).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minbar.discussion.models import Comment
from minbar.news.models import Article, Section

PROTECTED_WORD_MAX = 60


class ProtectedWord(models.Model):
    """A word the stemmer must keep whole (on top of the built-in lexicon)."""

    word = models.CharField(
        _("word"),
        max_length=PROTECTED_WORD_MAX,
        unique=True,
        help_text=_(
            "One word, written as readers write it (e.g. a place name whose last letters look "
            "like an ending). Changes apply to new and edited articles at once; run "
            "“manage.py rebuild_search_index” so that older articles and comments follow."
        ),
    )
    note = models.CharField(_("why"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["word"]
        verbose_name = _("protected word")
        verbose_name_plural = _("protected words")
        constraints = [
            models.CheckConstraint(condition=~Q(word=""), name="a_protected_word_is_not_empty"),
        ]

    def __str__(self) -> str:
        return self.word


class IndexState(models.Model):
    """How the index was built: one row, named "main"."""

    name = models.CharField(primary_key=True, max_length=20, default="main")
    analyser_version = models.PositiveIntegerField()
    # sha256 of the sorted protected words the index was built with.
    protected_digest = models.CharField(max_length=64)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("search index state")
        verbose_name_plural = _("search index state")

    def __str__(self) -> str:
        return f"{self.name}: analyser {self.analyser_version}"


class ArticleEntry(models.Model):
    """A live (or scheduled) article in the index. Written only by `search.backends`."""

    id = models.BigIntegerField(primary_key=True)  # the search key
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("indexed article")
        verbose_name_plural = _("indexed articles")

    def __str__(self) -> str:
        return f"article {self.article_id} @ {self.id}"


class CommentEntry(models.Model):
    """A visible comment of a live article in the index. Written only by `search.backends`."""

    id = models.BigIntegerField(primary_key=True)  # the search key
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("indexed comment")
        verbose_name_plural = _("indexed comments")

    def __str__(self) -> str:
        return f"comment {self.comment_id} @ {self.id}"


class VocabularyTerm(models.Model):
    """An index term of the articles, with how many articles hold it: the vocabulary that
    "did you mean" suggestions are chosen from. Filled from the engine's own index by
    `actions.do_refresh_vocabulary` (every rebuild runs it); never written otherwise."""

    term = models.CharField(primary_key=True, max_length=64)
    # Candidates share the first letter and have about the same length: one index range.
    first = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()
    documents = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("vocabulary term")
        verbose_name_plural = _("vocabulary terms")
        indexes = [models.Index(fields=["first", "length"], name="vocabulary_by_shape")]

    def __str__(self) -> str:
        return self.term
