"""Forms parse input only; the rules (lengths included) are the actions' `check_*`. Fields take
twice the allowed length so that the action, not the form, gives the clear message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minbar.moderation import policy
from minbar.moderation.models import (
    REASON_MAX,
    REPORT_TEXT_MAX,
    WORD_MAX,
    ArticleModeration,
    CommentReport,
    SiteSettings,
    WordListEntry,
)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    text = forms.CharField(
        label=_("Details (needed for “something else”)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto", "maxlength": REPORT_TEXT_MAX}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"dir": "auto", "maxlength": REASON_MAX}),
    )


class SuspendForm(ReasonForm):
    days = forms.TypedChoiceField(
        label=_("For"),
        coerce=int,
        choices=[(d, d) for d in policy.SUSPENSION_DAYS],
        required=False,
        # Django takes any empty value; the stubs allow only strings.
        empty_value=0,  # type: ignore[arg-type]
    )


class WordForm(forms.Form):
    word = forms.CharField(
        label=_("Word or phrase"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"dir": "auto", "maxlength": WORD_MAX}),
    )
    kind = forms.ChoiceField(label=_("List"), choices=WordListEntry.Kind.choices, required=False)


class ArticleDiscussionForm(forms.Form):
    comments_open = forms.BooleanField(label=_("Comments open"), required=False)
    premoderation = forms.ChoiceField(
        label=_("Pre-moderation"), choices=ArticleModeration.Override.choices, required=False
    )
    reason = forms.CharField(
        label=_("Reason (for the log)"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"dir": "auto", "maxlength": REASON_MAX}),
    )


class SiteSettingsForm(forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = [
            "premoderation",
            "new_reader_comments",
            "new_reader_max_links",
            "report_threshold",
            "auto_close_days",
        ]

    def clean_report_threshold(self) -> int:
        value = self.cleaned_data["report_threshold"]
        if value is None or value < 1:
            raise forms.ValidationError(_("At least one report."))
        return value

    def clean_auto_close_days(self) -> int | None:
        value = self.cleaned_data["auto_close_days"]
        if value is not None and value < 1:
            raise forms.ValidationError(_("At least one day, or empty for never."))
        return value
