"""The carrier form: units limited to the user's own, enterprises named by credit code or name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peiyu.carriers.models import Carrier
from peiyu.carriers.services import resolve_enterprises, split_refs
from peiyu.core.choice_fields import label_form_empty_choices, show_as_tree
from peiyu.core.forms import BootstrapMixin
from peiyu.core.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def units_for(user):
    units = Unit.objects.all()
    if user is not None and not user.is_superuser and user.unit_id:
        units = units.filter(path__startswith=user.unit.path)
    return units


class CarrierForm(BootstrapMixin, forms.ModelForm):
    host = forms.CharField(
        label=_("Host enterprise"),
        required=False,
        max_length=200,
        help_text=_(
            "Credit code or exact name of an enterprise in the library; required for R&D centres, engineering centres and key laboratories."
        ),
    )
    incubated_refs = forms.CharField(
        label=_("Enterprises incubated (in the library)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One credit code or exact enterprise name per line."),
    )

    fieldsets = [
        (_("Carrier"), ["name", "kind", "level", "centre_scope", "industry", "status"]),
        (_("Location and operator"), ["unit", "operator", "address", "area", "host"]),
        (_("Recognition"), ["recognised_on", "recognised_by", "document_number", "revoked_on"]),
        (_("Enterprises incubated"), ["incubated_refs", "incubated_other", "note"]),
    ]

    class Meta:
        model = Carrier
        fields = [
            "name",
            "kind",
            "level",
            "centre_scope",
            "industry",
            "status",
            "unit",
            "operator",
            "address",
            "area",
            "recognised_on",
            "recognised_by",
            "document_number",
            "revoked_on",
            "incubated_other",
            "note",
        ]
        widgets = {"recognised_on": DATE, "revoked_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        current = Unit.objects.filter(pk=self.instance.unit_id)
        self.fields["unit"].queryset = (units_for(user) | current).distinct()
        show_as_tree(self.fields["unit"])
        label_form_empty_choices(self)
        if self.instance.pk:
            host = self.instance.enterprise
            self.initial["host"] = host.uscc if host else ""
            self.initial["incubated_refs"] = "\n".join(
                e.uscc for e in self.instance.incubated.order_by("name")
            )

    def clean_host(self):
        ref = self.cleaned_data["host"].strip()
        if not ref:
            return None
        if self.instance.enterprise_id and ref.upper() == self.instance.enterprise.uscc:
            return self.instance.enterprise  # unchanged: kept even if it has left the user's scope
        found, problems = resolve_enterprises([ref], self.user)
        if problems:
            raise forms.ValidationError(problems)
        return found[0]

    def clean_incubated_refs(self):
        found, problems = resolve_enterprises(split_refs(self.cleaned_data["incubated_refs"]), self.user)
        if problems:
            raise forms.ValidationError(problems)
        return found

    def _post_clean(self):
        self.instance.enterprise = self.cleaned_data.get("host")
        super()._post_clean()

    def add_error(self, field, error):
        # The model names its host enterprise `enterprise`; this form asks for it as `host`.
        if field is None and hasattr(error, "error_dict") and "enterprise" in error.error_dict:
            error.error_dict["host"] = error.error_dict.pop("enterprise")
        super().add_error("host" if field == "enterprise" else field, error)

    def save(self, commit=True):
        obj = super().save(commit=commit)
        if commit:
            obj.incubated.set(self.cleaned_data.get("incubated_refs") or [])
        return obj
