from django import forms

from minbar.notify.models import Preferences


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = [
            "email_replies",
            "email_mentions",
            "email_followed",
            "email_decisions",
            "follow_on_post",
            "language",
        ]


class FollowForm(forms.Form):
    follow = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )
