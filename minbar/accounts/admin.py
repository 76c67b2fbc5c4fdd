from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from minbar.accounts import actions
from minbar.accounts.admin_i18n import PasswordChangeForm, TranslatedPermissionsMixin
from minbar.accounts.errors import AccountError
from minbar.accounts.models import User


def _checked_username(username: str, *, exclude_user_id: int | None = None) -> str:
    """Staff name accounts by the same rules as readers (no look-alikes, one script …)."""
    try:
        return actions.check_username(username, exclude_user_id=exclude_user_id)
    except AccountError as error:
        raise ValidationError(error.message, code=error.code) from error


class ReaderCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)

    def clean_username(self) -> str:
        return _checked_username(super().clean_username())


class ReaderChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if username == self.instance.username:
            # An unchanged name stays, even an imported one made before these rules.
            return username
        return _checked_username(username, exclude_user_id=self.instance.pk)

    def clean_display_name(self) -> str:
        display_name = self.cleaned_data["display_name"]
        if display_name == self.instance.display_name:
            return display_name
        try:
            return actions.check_display_name(display_name, user=self.instance)
        except AccountError as error:
            raise ValidationError(error.message, code=error.code) from error


@admin.register(User)
class UserAdmin(TranslatedPermissionsMixin, DjangoUserAdmin):
    form = ReaderChangeForm
    add_form = ReaderCreationForm
    change_password_form = PasswordChangeForm
    list_display = ("username", "display_name", "email", "is_active", "is_staff", "date_joined")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Reader"), {"fields": ("display_name",)}),
    )


# Django's own group admin, with the permissions named in the page's language.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(TranslatedPermissionsMixin, DjangoGroupAdmin):
    pass
