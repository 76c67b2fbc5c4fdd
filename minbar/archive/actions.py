"""Writing an archive into the site: one transaction, in bulk, through the newsroom's and the
discussion's own rules.

Articles match by slug and comments by (article, id), so the same file imported twice leaves
the same site. The invariants the discussion keeps one comment at a time are kept here for
thousands at once: `Article.comment_count` counts visible comments (moved once per article, by
the difference), `root`/`depth` follow the thread, `body_html` is rendered at write time, and
`best_rank` includes the imported score. Everything is checked before the first write; any error
rolls the whole import back.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import F, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minbar.accounts.models import User
from minbar.accounts.policy import username_key, username_problems
from minbar.archive import policy, stream, v2
from minbar.archive.migrate import article_ids_by_path, page_path
from minbar.archive.validate import (
    ArchiveDocument,
    ArchiveError,
    ArchiveInvalid,
    ArticleEntry,
    CommentEntry,
    document_order,
    parse_archive,
)
from minbar.core.text import render_article_markdown, render_comment_markdown
from minbar.discussion import actions as discussion
from minbar.discussion.changes import announce_changes
from minbar.discussion.models import Comment
from minbar.discussion.policy import best_rank
from minbar.news import actions as news
from minbar.news.models import Article, ArticleRevision, Author, Section, Tag

TagLink = Article.tags.through
AuthorLink = Article.authors.through
# Rows per INSERT/UPDATE and names per IN (…): well under SQLite's limit on bound variables.
BATCH = 500
VISIBLE = Comment.Status.VISIBLE

T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class ImportReport:
    articles_created: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    comments_created: int = 0
    comments_updated: int = 0
    comments_unchanged: int = 0
    accounts_created: int = 0
    votes_created: int = 0
    created_usernames: set[str] = field(default_factory=set)
    article_ids: list[int] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        done = _("Dry run: nothing was written.") + " " if self.dry_run else ""
        return done + _(
            "Articles: %(a_new)s new, %(a_changed)s updated, %(a_same)s unchanged. "
            "Comments: %(c_new)s new, %(c_changed)s updated, %(c_same)s unchanged. "
            "Reader accounts created: %(accounts)s."
        ) % {
            "a_new": self.articles_created,
            "a_changed": self.articles_updated,
            "a_same": self.articles_unchanged,
            "c_new": self.comments_created,
            "c_changed": self.comments_updated,
            "c_same": self.comments_unchanged,
            "accounts": self.accounts_created,
        }


def check_import_archive(
    raw: bytes | str, *, editor: User | None = None, comments_only: bool = False
) -> ImportReport:
    """Parse and check a file's content, then import it; raises ArchiveInvalid with every error
    (the site is then unchanged)."""
    try:
        document = parse_archive(raw)
    except ArchiveInvalid as invalid:
        # The account checks too, so that one run names every error of the file.
        _found, _accounts, more = _check_authors(invalid.authors)
        if not more:
            raise
        errors = sorted([*invalid.errors, *more], key=lambda e: document_order(e.pointer))
        raise ArchiveInvalid(errors) from None
    return do_import_archive(document, editor=editor, comments_only=comments_only)


def check_import_archive_file(
    path: str,
    *,
    editor: User | None = None,
    comments_only: bool = False,
    progress: Callable[[str], None] | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Like `check_import_archive`, for a file read as a stream in two passes: the first
    checks everything and keeps only ids and usernames, the second reads the file again and
    writes a batch of articles at a time (STREAM_ARTICLES, STREAM_COMMENTS), then the readers
    and the moderation history a batch at a time, in one transaction (decision 0013).
    `progress` hears a line every PROGRESS_EVERY comments checked, then written. With
    `dry_run` everything is written and checked as for real, then rolled back."""

    def said(step: str) -> Callable[[int], None] | None:
        if progress is None:
            return None
        return lambda count: progress(
            _("%(step)s: %(count)s comments read…") % {"step": step, "count": count}
        )

    try:
        head, pointers, outline = stream.check_file(
            path, progress=said(_("checking")), every=PROGRESS_EVERY
        )
    except ArchiveInvalid as invalid:
        _found, _accounts, more = _check_authors(invalid.authors)
        if not more:
            raise
        errors = sorted([*invalid.errors, *more], key=lambda e: document_order(e.pointer))
        raise ArchiveInvalid(errors) from None
    with transaction.atomic():
        report = do_import_archive_file(
            path,
            head,
            pointers=pointers,
            outline=outline,
            editor=editor,
            comments_only=comments_only,
            progress=said(_("writing")),
        )
        if dry_run:
            transaction.set_rollback(True)  # nothing stays, and nothing is announced
            report.dry_run = True
    return report


@transaction.atomic
def do_import_archive_file(
    path: str,
    head: ArchiveDocument,
    *,
    pointers: dict[str, list[str]],
    outline: stream.Outline,
    editor: User | None = None,
    comments_only: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Write a file checked by `stream.check_file` (`head`: its fields without the long lists;
    `outline`: what the lists hold)."""
    report = ImportReport()
    authors = _comment_authors(None, report=report, pointers=pointers)
    pks: dict[str, SimpleNamespace] = {}  # slug -> the article's pk, for moderation
    comment_ids: dict[tuple[str, str], int] = {}
    # An article whose comments go on in the next batch: the article, whether this import
    # made it, and its comments so far by file id (for the replies to come).
    going_on: tuple[Article, bool, dict[str, _Ref]] | None = None
    for batch in stream.article_batches(
        path,
        version=head.version,
        articles=STREAM_ARTICLES,
        comments=STREAM_COMMENTS,
        late=outline.late,
        progress=progress,
        every=PROGRESS_EVERY,
    ):
        fresh = tuple(entry for entry, continued in batch if not continued)
        part = ImportReport(created_usernames=report.created_usernames)
        articles, created = _write_articles(
            dataclasses.replace(head, articles=fresh, readers=(), moderation=()),
            editor=editor,
            report=part,
            comments_only=comments_only,
        )
        known: dict[str, dict[str, _Ref]] = {}
        if going_on is not None and batch[0][1]:
            article, made_here, refs = going_on
            articles[batch[0][0].slug] = article
            known[batch[0][0].slug] = refs
            if made_here:
                created.add(article.pk)
        document = dataclasses.replace(
            head, articles=tuple(entry for entry, _ in batch), readers=(), moderation=()
        )
        last = _write_comments(
            document,
            articles=articles,
            authors=authors,
            report=part,
            new_articles=created,
            known=known,
        )
        slug = batch[-1][0].slug
        going_on = (articles[slug], articles[slug].pk in created, last)
        if document.version >= 2:
            part.votes_created = v2.write_votes(document, articles=articles, authors=authors)
            if outline.moderated:
                comment_ids.update(v2.comment_ids(document, articles, wanted=outline.moderated))
        for name in _COUNTS:
            setattr(report, name, getattr(report, name) + getattr(part, name))
        for entry in fresh:
            pk = articles[entry.slug].pk
            pks[entry.slug] = SimpleNamespace(pk=pk)
            report.article_ids.append(pk)
    if head.version >= 2 and outline.readers:
        v2.apply_readers(
            itertools.chain.from_iterable(
                stream.reader_batches(path, personal_data=head.personal_data, size=BATCH)
            ),
            created=report.created_usernames,
        )
    if head.version >= 2 and outline.moderation:
        v2.write_moderation(
            stream.moderation_batches(path, kinds=outline.moderation, size=BATCH),
            articles=pks,
            authors=authors,
            comments=comment_ids,
        )
    return report


_COUNTS = (
    "articles_created",
    "articles_updated",
    "articles_unchanged",
    "comments_created",
    "comments_updated",
    "comments_unchanged",
    "votes_created",
)
# What the second pass holds at once: the memory of an import is about that much text.
STREAM_ARTICLES = 100
STREAM_COMMENTS = 200
# How often a long import says how far it is (comments checked, then written).
PROGRESS_EVERY = 100_000


@transaction.atomic
def do_import_archive(
    document: ArchiveDocument, *, editor: User | None = None, comments_only: bool = False
) -> ImportReport:
    """Bring the site in line with a checked document, all or nothing.

    With `comments_only`, an article that is already here (by slug, or by the path of the
    entry's `url`) is left exactly as it is: only its comments are added or updated.

    Raises ArchiveInvalid for what only the site can tell (a username that is not allowed, or
    that looks like another account's); nothing is written before those checks pass.
    """
    report = ImportReport()
    authors = _comment_authors(document, report=report)
    articles, created = _write_articles(
        document, editor=editor, report=report, comments_only=comments_only
    )
    _write_comments(
        document, articles=articles, authors=authors, report=report, new_articles=created
    )
    if document.version >= 2:
        v2.apply_readers(document.readers, created=report.created_usernames)
        report.votes_created = v2.write_votes(document, articles=articles, authors=authors)
        v2.write_moderation(
            [document.moderation],
            articles=articles,
            authors=authors,
            comments=v2.comment_ids(document, articles) if document.moderation else {},
        )
    report.article_ids = [articles[entry.slug].pk for entry in document.articles]
    return report


# --- accounts --------------------------------------------------------------------------------

USERNAME_PROBLEMS = {
    "invisible": lambda: _("A username cannot contain invisible or control characters."),
    "characters": lambda: _("A username has only letters, digits, _ and -."),
    "mixed-scripts": lambda: _("A username uses the letters of one script only."),
    "no-letter": lambda: _("A username needs at least one letter."),
    "length": lambda: _("A username is 3 to 30 characters long."),
    "reserved": lambda: _("This username is reserved."),
}


def _username_message(problems: list[str]) -> str:
    messages = [
        USERNAME_PROBLEMS[code]() if code in USERNAME_PROBLEMS else code for code in problems
    ]
    return _("Not an acceptable username: %(problems)s") % {"problems": " ".join(messages)}


def _author_pointers(document: ArchiveDocument) -> dict[str, list[str]]:
    pointers: dict[str, list[str]] = {}
    # Version 2: the readers listed, and every voter, have accounts too.
    for reader in document.readers:
        pointers.setdefault(reader.username, []).append(f"{reader.pointer}/username")
    for article in document.articles:
        for comment in article.comments:
            pointers.setdefault(comment.author, []).append(f"{comment.pointer}/author")
            for vote in comment.votes:
                pointers.setdefault(vote.reader, []).append(f"{vote.pointer}/reader")
    for kind, pointer, fields in document.moderation:
        person = "reporter" if kind == "reports" else "reader"
        if fields[person]:
            pointers.setdefault(fields[person], []).append(f"{pointer}/{person}")
    return pointers


def _check_authors(pointers: dict[str, list[str]]) -> tuple[dict[str, int], list, list]:
    """Read-only: (ids of the accounts that exist, accounts to create, errors).

    An unknown name gets an inactive account without a usable password; one that is not
    allowed, or that folds to the key of another name (an account's or the file's), is an
    error at each comment that uses it.
    """
    User = get_user_model()
    names = list(pointers)
    found: dict[str, int] = {}
    for chunk in _chunks(names):
        found.update(User.objects.filter(username__in=chunk).values_list("username", "pk"))
    keys = {name: username_key(name) for name in names if name not in found}
    taken: dict[str, str] = {}
    for chunk in _chunks(sorted(set(keys.values()))):
        taken.update(
            User.objects.filter(username_key__in=chunk).values_list("username_key", "username")
        )
    errors: list[ArchiveError] = []
    new: dict[str, str] = {}  # key -> name
    accounts = []
    for name, key in keys.items():
        problems = username_problems(name)
        if problems:
            message = _username_message(problems)
        elif key in taken:
            message = _(
                "This username looks the same as the existing account %(other)s: use that exact "
                "name, or another one."
            ) % {"other": taken[key]}
        elif key in new:
            message = _("This username looks the same as %(other)s (at %(pointer)s).") % {
                "other": new[key],
                "pointer": pointers[new[key]][0],
            }
        else:
            new[key] = name
            accounts.append(
                User(
                    username=name,
                    username_key=key,
                    email="",
                    is_active=False,
                    password=make_password(None),
                )
            )
            continue
        errors.extend(ArchiveError(at, message) for at in pointers[name])
    return found, accounts, sorted(errors, key=lambda error: document_order(error.pointer))


def _comment_authors(
    document: ArchiveDocument | None,
    *,
    report: ImportReport,
    pointers: dict[str, list[str]] | None = None,
) -> dict[str, int]:
    """Username → user id for every comment author, creating the accounts of unknown names."""
    if pointers is None:
        assert document is not None
        pointers = _author_pointers(document)
    found, accounts, errors = _check_authors(pointers)
    if errors:
        raise ArchiveInvalid(errors)
    # User.save() computes username_key; bulk_create does not call save(), hence the key above.
    _insert(get_user_model(), accounts)
    found.update((user.username, user.pk) for user in accounts)
    report.accounts_created = len(accounts)
    report.created_usernames = {user.username for user in accounts}
    return found


def _insert(model: type[Model], objects: Sequence[Model]) -> None:
    """Insert rows and learn their primary keys (both databases return them from one INSERT)."""
    if connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(objects, batch_size=BATCH)
    else:  # pragma: no cover - an SQLite older than 3.35
        for obj in objects:
            obj.save(force_insert=True)


# --- articles --------------------------------------------------------------------------------


class _Names:
    """Sections, tags and newsroom authors by name, made through the newsroom's actions."""

    def __init__(self) -> None:
        self.sections: dict[str, Section] = {}
        self.tags: dict[str, Tag] = {}
        self.authors: dict[str, Author] = {}

    def section(self, name: str) -> Section:
        if name not in self.sections:
            self.sections[name] = news.do_get_or_create_section(name=name)
        return self.sections[name]

    def tag(self, name: str) -> Tag:
        if name not in self.tags:
            self.tags[name] = news.do_get_or_create_tag(name=name)
        return self.tags[name]

    def author(self, name: str) -> Author:
        if name not in self.authors:
            self.authors[name] = news.do_get_or_create_author(name=name)
        return self.authors[name]


def _article_fields(entry: ArticleEntry, *, section: Section) -> dict:
    return {
        "title": entry.title,
        "standfirst": entry.standfirst,
        "body": entry.body,
        "language": entry.language,
        "section_id": section.pk,
        "status": entry.status,
        "published_at": entry.published_at,
        "comments_open": entry.comments_open,
        "source_name": entry.source_name,
        "source_url": entry.source_url,
        "source_language": entry.source_language,
    }


def _write_articles(
    document: ArchiveDocument,
    *,
    editor: User | None,
    report: ImportReport,
    comments_only: bool = False,
) -> tuple[dict[str, Article], set[int]]:
    """Create or update every article; returns them by entry slug, and the ids of the new
    ones. With `comments_only`, articles found here are not touched."""
    slugs = [entry.slug for entry in document.articles]
    existing: dict[str, Article] = {}
    for chunk in _chunks(slugs):
        # Locked: comment_count moves below by a difference computed from these rows.
        existing.update(
            (article.slug, article)
            for article in Article.objects.select_for_update().filter(slug__in=chunk)
        )
    kept: dict[str, Article] = {}
    if comments_only:
        kept = _attach_only(document, existing)
        report.articles_unchanged += len(kept)
        document = dataclasses.replace(
            document, articles=tuple(e for e in document.articles if e.slug not in kept)
        )
    ids = [article.pk for article in existing.values()]
    current_tags: dict[int, set[str]] = defaultdict(set)
    current_authors: dict[int, set[str]] = defaultdict(set)
    for id_chunk in _chunks(ids):
        for article_id, name in Article.tags.through.objects.filter(
            article_id__in=id_chunk
        ).values_list("article_id", "tag__name"):
            current_tags[article_id].add(name)
        for article_id, name in Article.authors.through.objects.filter(
            article_id__in=id_chunk
        ).values_list("article_id", "author__name"):
            current_authors[article_id].add(name)

    names = _Names()
    now = timezone.now()
    articles: dict[str, Article] = dict(kept)
    created: set[int] = set()
    touched: list[Article] = []
    new_tags: list = []
    new_authors: list = []
    for entry in document.articles:
        fields = _article_fields(entry, section=names.section(entry.section))
        article = existing.get(entry.slug)
        if article is None:
            article = Article(
                slug=entry.slug,
                body_html=render_article_markdown(entry.body),
                updated_at=entry.updated_at or entry.published_at or now,
                created_by=editor,
                **fields,
            )
            article.save(force_insert=True)
            created.add(article.pk)
            changed: list[str] = ["*"]
            report.articles_created += 1
        else:
            changed = [name for name, value in fields.items() if getattr(article, name) != value]
            for name in changed:
                setattr(article, name, fields[name])
            if "body" in changed:
                article.body_html = render_article_markdown(article.body)
                changed.append("body_html")
            if entry.updated_at is not None and article.updated_at != entry.updated_at:
                article.updated_at = entry.updated_at
                changed.append("updated_at")
            elif changed and entry.updated_at is None:
                article.updated_at = now
                changed.append("updated_at")
            if changed:
                article.save(update_fields=changed)
        if article.pk in created:
            # A new article has no tags or authors yet: their rows go in below, all at once.
            new_tags.extend(TagLink(article_id=article.pk, tag=names.tag(n)) for n in entry.tags)
            new_authors.extend(
                AuthorLink(article_id=article.pk, author=names.author(n)) for n in entry.authors
            )
        else:
            if set(entry.tags) != current_tags[article.pk]:
                article.tags.set([names.tag(name) for name in entry.tags])
                changed.append("tags")
            if set(entry.authors) != current_authors[article.pk]:
                article.authors.set([names.author(name) for name in entry.authors])
                changed.append("authors")
        if changed and entry.slug in existing:
            report.articles_updated += 1
        elif not changed:
            report.articles_unchanged += 1
        if changed:
            touched.append(article)
        articles[entry.slug] = article

    TagLink.objects.bulk_create(new_tags, batch_size=BATCH)
    AuthorLink.objects.bulk_create(new_authors, batch_size=BATCH)
    # A revision for each article the import created or changed, as every newsroom save has.
    summary = _("Imported from an archive")
    ArticleRevision.objects.bulk_create(
        [
            ArticleRevision(
                article=article, editor=editor, summary=summary, content=news.snapshot(article)
            )
            for article in touched
        ],
        batch_size=BATCH,
    )
    changed_ids = [article.pk for article in touched]
    announce_changes(articles=changed_ids)
    return articles, created


def _attach_only(document: ArchiveDocument, existing: dict[str, Article]) -> dict[str, Article]:
    """The articles a comments-only import finds here, by entry slug: the article with that
    slug, else the one at the path of the entry's `url` (locked like the others)."""
    kept = {e.slug: existing[e.slug] for e in document.articles if e.slug in existing}
    wanted = {e.slug: page_path(e.url) for e in document.articles if e.slug not in kept and e.url}
    if wanted:
        paths = article_ids_by_path()
        ids = {slug: paths[path] for slug, path in wanted.items() if path in paths}
        found = Article.objects.select_for_update().in_bulk(list(set(ids.values())))
        kept.update((slug, found[pk]) for slug, pk in ids.items())
    return kept


# --- comments --------------------------------------------------------------------------------

_COMMENT_FIELDS = (
    "pk", "article_id", "parent_id", "root_id", "depth", "author_id", "body", "status",
    "created_at", "imported_score", "upvotes", "downvotes", "best_rank", "import_id",
    "edited_at", "is_featured",
)  # fmt: skip


@dataclass
class _Planned:
    comment: Comment
    entry: CommentEntry
    parent: Comment | _Ref | None
    root: Comment | _Ref | None
    author_id: int
    born_here: bool = False  # matched a Minbar-born comment through its exported id


class _Ref:
    """A comment written earlier in the import, known by its primary key only."""

    __slots__ = ("pk",)

    def __init__(self, pk: int) -> None:
        self.pk = pk


def _existing_comments(
    article_ids: list[int], entries: Sequence[CommentEntry]
) -> dict[int, list[Comment]]:
    """The stored comments of these articles that `entries` may stand for (by import id, or
    as `c<pk>`), locked; not the articles' other comments, however many."""
    rows: dict[int, list[Comment]] = defaultdict(list)
    import_ids = sorted({entry.id for entry in entries})
    natives = sorted({pk for entry in entries if (pk := policy.native_pk(entry.id)) is not None})
    if not article_ids or not import_ids:
        return rows
    for chunk in _chunks(article_ids):
        for comment in (
            Comment.objects.select_for_update()
            .filter(article_id__in=chunk)
            .filter(Q(import_id__in=import_ids) | Q(pk__in=natives))
            .only(*_COMMENT_FIELDS)
            .order_by()
        ):
            rows[comment.article_id].append(comment)
    return rows


def _match(
    entry: CommentEntry,
    *,
    by_import_id: dict[str, Comment],
    born_here: dict[int, Comment],
    author_id: int,
) -> tuple[Comment | None, bool]:
    """The stored comment an entry stands for: by import id, else a Minbar-born comment
    exported as `c<pk>` (same author and time, so an id from another site cannot take it)."""
    comment = by_import_id.get(entry.id)
    if comment is not None:
        return comment, False
    pk = policy.native_pk(entry.id)
    if pk is None:
        return None, False
    comment = born_here.get(pk)
    if comment and comment.author_id == author_id and comment.created_at == entry.created_at:
        del born_here[pk]
        return comment, True
    return None, False


def _write_comments(
    document: ArchiveDocument,
    *,
    articles: dict[str, Article],
    authors: dict[str, int],
    report: ImportReport,
    new_articles: set[int],
    known: dict[str, dict[str, _Ref]] | None = None,
) -> dict[str, _Ref]:
    """Write the entries' comments; `known` gives, for an article whose comments came in an
    earlier batch, those comments by file id. Returns the last article's comments so far by
    file id (all of them written), for its next part."""
    stored = _existing_comments(
        [a.pk for a in (articles[e.slug] for e in document.articles) if a.pk not in new_articles],
        [item for entry in document.articles for item in entry.comments],
    )
    new: list[_Planned] = []
    matched: list[_Planned] = []
    last: dict[str, Comment | _Ref] = {}
    newly_visible: dict[int, int] = defaultdict(int)
    for entry in document.articles:
        article = articles[entry.slug]
        rows = stored.get(article.pk, [])
        by_import_id = {c.import_id: c for c in rows if c.import_id}
        born_here = {c.pk: c for c in rows if not c.import_id}
        planned: dict[str, Comment | _Ref] = dict((known or {}).get(entry.slug, {}))
        last = planned
        for item in entry.comments:
            author_id = authors[item.author]
            comment, is_native = _match(
                item, by_import_id=by_import_id, born_here=born_here, author_id=author_id
            )
            parent = planned[item.parent] if item.parent else None
            root = planned[item.root] if item.root else None
            if comment is None:
                comment = Comment(
                    article_id=article.pk,
                    author_id=author_id,
                    depth=item.depth,
                    body=item.text,
                    body_html=render_comment_markdown(item.text) if item.text else "",
                    status=item.status,
                    created_at=item.created_at,
                    imported_score=item.score,
                    best_rank=best_rank(upvotes=0, downvotes=0, imported_score=item.score),
                    import_id=item.id,
                    edited_at=item.edited_at,
                    is_featured=item.featured,
                )
                new.append(_Planned(comment, item, parent, root, author_id))
                if item.status == VISIBLE:
                    newly_visible[article.pk] += 1
            else:
                matched.append(
                    _Planned(comment, item, parent, root, author_id, born_here=is_native)
                )
            planned[item.id] = comment

    _insert_new_comments(new)
    report.comments_created = len(new)
    changed_ids, reshaped = _update_matched_comments(matched)
    report.comments_updated = len(changed_ids)
    report.comments_unchanged = len(matched) - len(changed_ids)
    if reshaped:
        _repair_threads(sorted(reshaped))

    for article_id, count in newly_visible.items():
        Article.objects.filter(pk=article_id).update(comment_count=F("comment_count") + count)

    # A new article's article_changed already says that everything on its pages is new.
    announce: dict[int, list[int]] = defaultdict(list)
    for plan in new:
        if plan.comment.article_id not in new_articles:
            announce[plan.comment.article_id].append(plan.comment.pk)
    for plan in matched:
        if plan.comment.pk in changed_ids:
            announce[plan.comment.article_id].append(plan.comment.pk)
    announce_changes(discussions=announce)
    return {ident: _Ref(comment.pk) for ident, comment in last.items()}


def _insert_new_comments(new: list[_Planned]) -> None:
    """Insert level by level: a reply needs its parent's primary key, and the parent, which
    comes earlier in the document, is at most one level up."""
    by_depth: dict[int, list[_Planned]] = defaultdict(list)
    for plan in new:
        by_depth[plan.entry.depth].append(plan)
    for depth in sorted(by_depth):
        level = by_depth[depth]
        for plan in level:
            plan.comment.parent_id = plan.parent.pk if plan.parent else None
            plan.comment.root_id = plan.root.pk if plan.root else None
        _insert(Comment, [plan.comment for plan in level])


def _update_matched_comments(matched: list[_Planned]) -> tuple[set[int], set[int]]:
    """Bring stored comments in line with their entries; returns the ids of the changed
    comments and of the articles whose threads changed shape."""
    changed_ids: set[int] = set()
    reshaped: set[int] = set()
    dirty: list[Comment] = []
    fields: set[str] = set()
    new_statuses: list[tuple[Comment, str]] = []
    for plan in matched:
        comment, entry = plan.comment, plan.entry
        # The file's score is the net score where the file came from: the old platform's, or
        # this site's own export (imported score + votes cast here). A score that reads as
        # either of those changes nothing; otherwise it replaces the imported score, less the
        # votes cast here for a comment born here (docs/decisions/0003-archive-scores.md).
        here = comment.upvotes - comment.downvotes
        if entry.score in (comment.imported_score, comment.imported_score + here):
            imported = comment.imported_score
        elif plan.born_here:
            imported = entry.score - here
        else:
            imported = entry.score
        wanted = {
            "parent_id": plan.parent.pk if plan.parent else None,
            "root_id": plan.root.pk if plan.root else None,
            "depth": entry.depth,
            "author_id": plan.author_id,
            "created_at": entry.created_at,
            "body": entry.text,
            "imported_score": imported,
        }
        if entry.edited_at is not None:  # version 2; an edit is never undone by a file
            wanted["edited_at"] = entry.edited_at
        if entry.featured:  # version 2; likewise a file never unfeatures a comment
            wanted["is_featured"] = True
        changes = [name for name, value in wanted.items() if getattr(comment, name) != value]
        for name in changes:
            setattr(comment, name, wanted[name])
        if "body" in changes:
            comment.body_html = render_comment_markdown(comment.body) if comment.body else ""
            changes.append("body_html")
        if "imported_score" in changes:
            comment.best_rank = best_rank(
                upvotes=comment.upvotes,
                downvotes=comment.downvotes,
                imported_score=comment.imported_score,
            )
            changes.append("best_rank")
        if {"parent_id", "root_id", "depth"} & set(changes):
            reshaped.add(comment.article_id)
        if changes:
            dirty.append(comment)
            fields.update(changes)
            changed_ids.add(comment.pk)
        if comment.status != entry.status:
            new_statuses.append((comment, entry.status))
            changed_ids.add(comment.pk)
    if dirty:
        Comment.objects.bulk_update(dirty, fields=sorted(fields), batch_size=BATCH)
    for comment, status in new_statuses:
        # The one place a comment's visibility changes; it moves the article's count with it.
        discussion.do_change_comment_status(comment, status=status)
    return changed_ids, reshaped


def _repair_threads(article_ids: list[int]) -> None:
    """Recompute root and depth under comments that moved, including replies posted here
    that the file does not list."""
    for article_id in article_ids:
        rows = list(
            Comment.objects.filter(article_id=article_id)
            .only("pk", "parent_id", "root_id", "depth")
            .order_by()
        )
        shape = policy.thread_shape({row.pk: row.parent_id for row in rows})
        dirty = []
        for row in rows:
            if (row.root_id, row.depth) != shape[row.pk]:
                row.root_id, row.depth = shape[row.pk]
                dirty.append(row)
        Comment.objects.bulk_update(dirty, fields=["root_id", "depth"], batch_size=BATCH)
