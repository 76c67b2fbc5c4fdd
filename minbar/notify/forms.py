from django import forms

from minbar.notify.actions import PREFERENCE_FIELDS
from minbar.notify.models import Preferences


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = list(PREFERENCE_FIELDS)


class FollowForm(forms.Form):
    follow = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )
