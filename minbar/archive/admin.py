"""Staff's view of imported readers, and the one action that merges an imported account into a
reader's new account (minbar.archive.claims)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from minbar.archive import claims
from minbar.archive.models import ImportedPage, ImportedReader
from minbar.core.errors import Refusal
from minbar.core.http import refusal_response


class MergeForm(forms.Form):
    into = forms.CharField(
        label=gettext_lazy("Reader's new account (username)"), max_length=150, strip=True
    )

    def clean_into(self):
        name = self.cleaned_data["into"]
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("No account has the username %(name)s.") % {"name": name})
        return user


@admin.register(ImportedReader)
class ImportedReaderAdmin(admin.ModelAdmin):
    list_display = ("user", "source", "name", "email", "imported_at")
    list_filter = ("source",)
    search_fields = ("user__username", "name", "email", "identity")
    readonly_fields = ("source", "identity", "user", "email", "name", "imported_at")
    actions = ["merge_into_account"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(
        description=gettext_lazy("Merge into a reader's new account"),
        permissions=["change"],
    )
    def merge_into_account(self, request, queryset):
        users = {row.user for row in queryset.select_related("user")}
        if len(users) != 1:
            self.message_user(
                request, _("Choose the imported readers of one account."), messages.ERROR
            )
            return None
        imported = users.pop()
        form = MergeForm(request.POST if "apply" in request.POST else None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge an imported account"),
            "imported": imported,
            "form": form,
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        if form.is_valid():
            try:
                moved = claims.do_merge_imported_reader(imported, into=form.cleaned_data["into"])
            except Refusal as refused:
                # The form again, the reason on the account's field, the name kept; a 4xx.
                return refusal_response(
                    request,
                    refused,
                    template="archive/merge_reader.html",
                    context=context,
                    form=form,
                    fallback_field="into",
                )
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(old)s merged into %(new)s: %(count)s comment moved.",
                        "%(old)s merged into %(new)s: %(count)s comments moved.",
                        moved,
                    )
                    % {
                        "old": imported.username,
                        "new": form.cleaned_data["into"].username,
                        "count": moved,
                    },
                    messages.SUCCESS,
                )
                return None
        return TemplateResponse(request, "archive/merge_reader.html", context)


@admin.register(ImportedPage)
class ImportedPageAdmin(admin.ModelAdmin):
    list_display = ("link", "source", "article")
    list_filter = ("source",)
    search_fields = ("link",)
    raw_id_fields = ("article",)
