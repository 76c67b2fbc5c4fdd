from django import forms
from django.utils.translation import gettext_lazy as _

from minbar.discussion.models import COMMENT_MAX


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        # Over-long text is refused by check_comment_text with a clear message; the form keeps it.
        widget=forms.Textarea(
            attrs={"rows": 5, "dir": "auto", "maxlength": COMMENT_MAX, "required": True}
        ),
        required=False,
        strip=False,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "+1"), ("-1", "-1"), ("0", "0")], coerce=int)
