from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm, SetPasswordMixin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core import throttling
from peiyu.core.choices import Role
from peiyu.core.models import ApiToken, Unit, User


class BootstrapMixin:
    """Give every widget Bootstrap's classes so templates can render forms field by field, and show
    stored amounts without their padding zeros (1500.2500 is typed and read as 1500.25)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            value = self.initial.get(name)
            if isinstance(field, forms.DecimalField) and isinstance(value, Decimal):
                self.initial[name] = format(value.normalize(), "f")
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else (
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            )
            widget.attrs.setdefault("class", css)


class ThrottledLoginForm(BootstrapMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts. Please wait %(minutes)d minutes and try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username", "")
        address = throttling.client_address(self.request)
        # Counted before the password is checked, so parallel guesses cannot all slip under the limit.
        if not throttling.begin_attempt(username, address):
            raise ValidationError(self.error_messages["locked"], code="locked", params={"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60})
        cleaned = super().clean()
        throttling.succeeded(username, address)
        return cleaned


class UserForm(BootstrapMixin, SetPasswordMixin, forms.ModelForm):
    """Administrators create and edit accounts; a password is required on creation only."""

    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Password"), label2=_("Password confirmation")
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "unit", "phone", "email", "is_active", "is_superuser"]
        labels = {"is_superuser": _("Administrator"), "is_active": _("Active")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        self.fields["password1"].required = self.fields["password2"].required = creating
        if not creating:
            self.fields["password1"].help_text = _("Leave empty to keep the current password.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") or cleaned.get("password2") or self.instance.pk is None:
            self.validate_passwords()
            self.validate_password_for_user(self.instance)
        role, unit = cleaned.get("role"), cleaned.get("unit")
        if role == Role.UNIT and unit is None:
            self.add_error("unit", _("Unit staff must belong to a unit."))
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("password1"):
            user.set_password(self.cleaned_data["password1"])
        user.is_staff = user.is_superuser
        if commit:
            user.save()
        return user


class AdminPasswordResetForm(BootstrapMixin, SetPasswordForm):
    """The new password an administrator gives a user (the platform sends no e-mail)."""


class UnitForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "code", "kind", "parent", "sort_order"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent and self.instance.pk and parent.is_within(self.instance):
            raise ValidationError(_("A unit cannot be placed under itself or one of its own sub-units."))
        return parent


class ApiTokenForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["description", "expires"]
        widgets = {"expires": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_expires(self):
        expires = self.cleaned_data.get("expires")
        if expires and expires < timezone.localdate():
            raise ValidationError(_("The last valid day cannot be in the past."))
        return expires
