"""Staff extend the stemmer's protected words here; saving and deleting go through actions."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from minbar.search import actions
from minbar.search.errors import SearchError
from minbar.search.models import ProtectedWord


class ProtectedWordForm(forms.ModelForm):
    class Meta:
        model = ProtectedWord
        fields = ["word", "note"]
        widgets = {"word": forms.TextInput(attrs={"dir": "auto"})}

    def clean_word(self) -> str:
        try:
            return actions.check_protected_word(self.cleaned_data["word"])
        except SearchError as error:
            raise forms.ValidationError(error.message, code=error.code) from error


@admin.register(ProtectedWord)
class ProtectedWordAdmin(admin.ModelAdmin):
    form = ProtectedWordForm
    list_display = ("word", "note", "created_at")
    search_fields = ("word", "note")

    def save_model(
        self, request: HttpRequest, obj: ProtectedWord, form: forms.ModelForm, change: bool
    ) -> None:
        actions.do_save_protected_word(obj)

    def delete_model(self, request: HttpRequest, obj: ProtectedWord) -> None:
        actions.do_delete_protected_words([obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ProtectedWord]) -> None:
        actions.do_delete_protected_words(queryset)
