"""The search form: what the reader typed and chose, checked, with errors in their language."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minbar.news.models import Section
from minbar.search import policy
from minbar.search.selectors import SHOWS, SORTS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
# Dates a filter may name (an archive reaches back far; beyond these, keys and time zones
# stop being meaningful).
FIRST_DAY = dt.date(1800, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)


class SearchForm(forms.Form):
    """`q`, `section` (slug), `from`, `to` (dates), `sort`, `show`. `from` and `to` are
    Python keywords, so they are added to the fields below the class."""

    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All sections"),
        error_messages={"invalid_choice": _("There is no such section.")},
    )
    # Not ChoiceFields: an unknown value (an edited link) falls back to the default quietly.
    sort = forms.CharField(
        label=_("Order"),
        required=False,
        widget=forms.Select(choices=[("relevance", _("Most relevant")), ("date", _("Newest"))]),
    )
    show = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The select lists the sections it was given (one query, made when rendered).
        self.fields["section"].widget.attrs["dir"] = "auto"
        self.fields["q"].widget.attrs.update(
            {"dir": "auto", "maxlength": policy.MAX_QUERY_LENGTH, "type": "search"}
        )

    def clean_q(self) -> str:
        return self.cleaned_data["q"][: policy.MAX_QUERY_LENGTH]

    def clean_sort(self) -> str:
        value = self.cleaned_data.get("sort")
        return value if value in SORTS else "relevance"

    def clean_show(self) -> str:
        value = self.cleaned_data.get("show")
        return value if value in SHOWS else "articles"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(
                    name,
                    _("Enter a date between %(first)s and %(last)s.")
                    % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
                )
                cleaned.pop(name, None)
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date is before the start date."))
        return cleaned

    @property
    def was_shortened(self) -> bool:
        return len((self.data.get("q") or "").strip()) > policy.MAX_QUERY_LENGTH


def _date_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date like 2024-07-15.")},
    )


SearchForm.base_fields["from"] = _date_field(_("From"))
SearchForm.base_fields["to"] = _date_field(_("To"))
