"""The newsroom's tools, in the Django admin. Saving and publishing go through news.actions."""

from __future__ import annotations

import weakref
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minbar.accounts.models import User
from minbar.news import actions, images
from minbar.news.access import may_edit_article, revisions_readable_by
from minbar.news.errors import NewsError
from minbar.news.models import Article, ArticleRevision, Author, Section, Tag

DRAFT = Article.Status.DRAFT
# The refusal met by a request's first try at saving an article (ArticleAdmin.changeform_view).
_refusals: weakref.WeakKeyDictionary[HttpRequest, NewsError] = weakref.WeakKeyDictionary()


def _staff(request: HttpRequest) -> User:
    """The admin's user: every admin page lets in only signed-in staff."""
    user = request.user
    assert isinstance(user, User)
    return user


# What the article form edits besides the section, tags, authors and publication state.
_ADMIN_CONTENT = (
    "title", "slug", "standfirst", "body", "language", "source_name", "source_url",
    "source_language", "comments_open",
)  # fmt: skip


class LabelAdmin(admin.ModelAdmin):
    """Sections, tags and authors are saved through the newsroom's actions, so that the pages
    and the search entries of the articles showing them follow a rename."""

    def save_model(
        self, request: HttpRequest, obj: Section | Tag | Author, form: forms.Form, change: bool
    ) -> None:
        actions.do_save_label(obj)

    def delete_model(self, request: HttpRequest, obj: Section | Tag | Author) -> None:
        actions.do_delete_labels([obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        actions.do_delete_labels(list(queryset))


@admin.register(Section)
class SectionAdmin(LabelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(LabelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Author)
class AuthorAdmin(LabelAdmin):
    list_display = ("name", "user")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("user",)


class LeadImageField(forms.ImageField):
    """Django's image field, with Minbar's limits checked first: size, pixel count before
    decoding (a decompression bomb gets its own message, not "not an image"), type by content."""

    def to_python(self, data: Any) -> Any:
        if data not in self.empty_values:
            images.validate_upload(data)
        return super().to_python(data)


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the fieldsets below choose what is shown
        widgets = {"title": forms.TextInput(attrs={"size": 80, "dir": "auto"})}
        field_classes = {"image": LeadImageField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = gettext_lazy(
                "Leave empty to make one from the title (Arabic letters are kept)."
            )

    # A refusal the newsroom's actions made of this very submission (see ArticleAdmin's
    # changeform_view): the form is shown again, as typed, with the reason on its field.
    refusal: NewsError | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.refusal is not None:
            field = self.refusal.field if self.refusal.field in self.fields else None
            self.add_error(field, self.refusal.message)
            return data
        if "slug" in self.fields and not data.get("slug") and data.get("title"):
            exclude = self.instance.pk if self.instance.pk else None
            data["slug"] = actions.unique_slug(data["title"], exclude_pk=exclude)
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for readers who cannot see it."))
        status = data.get("status")
        when = data.get("published_at")
        if status == Article.Status.PUBLISHED and not when and "published_at" in self.fields:
            # "Publish" with no time means now; the action keeps an earlier first publication.
            data["published_at"] = self.instance.published_at or timezone.now()
        if status == Article.Status.SCHEDULED:
            if not when:
                self.add_error("published_at", _("A scheduled article needs a publication time."))
            elif when <= timezone.now():
                self.add_error("published_at", _("A scheduled time must be in the future."))
        return data


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ("title", "status", "published_at", "section", "comment_count", "preview_link")
    list_filter = ("status", "section", "comments_open")
    search_fields = ("title", "slug")
    date_hierarchy = "published_at"
    filter_horizontal = ("tags", "authors")
    readonly_fields = ("comment_count", "history_link")
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "standfirst", "body", "section", "tags", "authors")}),
        (
            gettext_lazy("Lead image"),
            {"fields": ("image", "image_alt", "image_caption", "image_credit")},
        ),
        (gettext_lazy("Publication"), {"fields": ("status", "published_at", "comments_open")}),
        (
            gettext_lazy("Source (for digests of other outlets)"),
            {"fields": ("source_name", "source_url", "source_language", "language")},
        ),
        (gettext_lazy("Record"), {"fields": ("comment_count", "history_link")}),
    )

    # --- who sees and changes what ----------------------------------------------------------

    def _is_editor(self, request: HttpRequest) -> bool:
        return _staff(request).has_perm("news.publish_article")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        qs = super().get_queryset(request).select_related("section")
        if self._is_editor(request):
            return qs
        return qs.filter(created_by=_staff(request))

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or self._is_editor(request):
            return True
        return obj.created_by_id == _staff(request).pk and obj.status == DRAFT

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not self._is_editor(request):
            fields += ["status", "published_at"]
        return fields

    # --- saving through the actions ---------------------------------------------------------

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A NewsError from the actions in save_model ends the admin's transaction (nothing is
        saved); the same submission is then shown again, what was typed kept, with the
        refusal's reason on the field it names and its status."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except NewsError as refusal:
            _refusals[request] = refusal
            response = super().changeform_view(request, object_id, form_url, extra_context)
            response.status_code = refusal.status
            return response

    def get_form(
        self, request: HttpRequest, obj: Article | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = _refusals.get(request)
        if refusal is None:
            return form
        return type(form.__name__, (form,), {"refusal": refusal})

    def save_model(
        self, request: HttpRequest, obj: Article, form: forms.Form, change: bool
    ) -> None:
        """The content (with tags and authors, so the revision is complete) through
        do_create_article or do_update_article; then, if the form asked for another publication
        state, the publishing action for it. Nothing is saved here that the actions do not
        save for every other caller."""
        status, when = obj.status, obj.published_at  # as the form asked
        content = {name: getattr(obj, name) for name in _ADMIN_CONTENT}
        tags = form.cleaned_data.get("tags")
        authors = form.cleaned_data.get("authors")
        if change:
            stored = Article.objects.only("status", "published_at").get(pk=obj.pk)
            obj.status, obj.published_at = stored.status, stored.published_at
            article = actions.do_update_article(
                obj,
                editor=_staff(request),
                tags=tags,
                authors=authors,
                section=obj.section,
                **content,
            )
        else:
            article = actions.do_create_article(
                instance=obj,
                editor=_staff(request),
                section=obj.section,
                tags=tags or (),
                authors=authors or (),
                **content,
            )
        if "image" in form.changed_data:
            actions.do_make_image_renditions(article)
        if (status, when) == (article.status, article.published_at):
            return
        actions.check_can_publish(_staff(request))
        if status == Article.Status.PUBLISHED:
            actions.do_publish_article(article, editor=_staff(request), at=when)
        elif status == Article.Status.SCHEDULED:
            assert when is not None  # the form refuses a schedule without a time
            actions.do_schedule_article(article, editor=_staff(request), at=when)
        else:
            actions.do_unpublish_article(article, editor=_staff(request))

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool
    ) -> None:
        # The tags and authors were saved by the action, with the content.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=gettext_lazy("Publish the selected articles now"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        try:
            actions.check_can_publish(_staff(request))
            with transaction.atomic():
                for article in queryset:
                    actions.do_publish_article(article, editor=_staff(request))
        except NewsError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return
        self.message_user(request, _("Published."), messages.SUCCESS)

    @admin.action(description=gettext_lazy("Unpublish the selected articles"))
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        try:
            actions.check_can_publish(_staff(request))
            with transaction.atomic():
                for article in queryset:
                    actions.do_unpublish_article(article, editor=_staff(request))
        except NewsError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return
        self.message_user(request, _("Unpublished."), messages.SUCCESS)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        found = super().get_actions(request)
        if not self._is_editor(request):
            found.pop("publish_selected", None)
            found.pop("unpublish_selected", None)
        return found

    # --- links, history and restoring -------------------------------------------------------

    @admin.display(description=gettext_lazy("Page"))
    def preview_link(self, obj: Article) -> SafeString:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("View"))

    @admin.display(description=gettext_lazy("Revisions"))
    def history_link(self, obj: Article) -> SafeString | str:
        if not obj.pk:
            return "—"
        url = reverse("admin:news_article_revisions", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Revision history and restore"))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:article_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="news_article_revisions",
            ),
            path(
                "<int:article_id>/revisions/<int:revision_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name="news_article_restore",
            ),
            *super().get_urls(),
        ]

    def revisions_view(self, request: HttpRequest, article_id: int) -> TemplateResponse:
        article = get_object_or_404(self.get_queryset(request), pk=article_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "article": article,
            "revisions": article.revisions.select_related("editor"),
            "can_restore": self.has_change_permission(request, article),
            "title": _("Revisions of “%(title)s”") % {"title": article.title},
        }
        return TemplateResponse(request, "admin/news/article_revisions.html", context)

    def restore_view(
        self, request: HttpRequest, article_id: int, revision_id: int
    ) -> HttpResponseRedirect:
        article = get_object_or_404(self.get_queryset(request), pk=article_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(ArticleRevision, pk=revision_id, article=article)
        try:
            actions.do_restore_revision(revision, editor=_staff(request))
        except NewsError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
        else:
            self.message_user(request, _("The revision was restored."), messages.SUCCESS)
        return redirect("admin:news_article_change", article.pk)


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ("article", "created_at", "editor", "summary")
    list_filter = ("created_at",)
    readonly_fields = ("article", "editor", "created_at", "summary", "content")

    # A revision holds the whole text of its article: an author sees only the revisions of the
    # articles they may edit, in the list and at each revision's own address.
    def get_queryset(self, request: HttpRequest) -> QuerySet[ArticleRevision]:
        return revisions_readable_by(_staff(request), super().get_queryset(request))

    def has_view_permission(self, request: HttpRequest, obj: ArticleRevision | None = None) -> bool:
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or may_edit_article(_staff(request), obj.article)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ArticleRevision | None = None
    ) -> bool:
        return False
