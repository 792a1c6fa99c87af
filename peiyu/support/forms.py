"""Forms of the support programmes. Amounts are typed in 万元; errors are in the user's language."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peiyu.core.forms import BootstrapMixin
from peiyu.core.models import Unit
from peiyu.enterprises.choices import QualificationKind
from peiyu.enterprises.models import Enterprise
from peiyu.support import choices
from peiyu.support.models import (
    Assignment,
    Commissioner,
    CommissionerTeam,
    Fund,
    Outcome,
    ProviderService,
    ServiceLog,
    ServiceProvider,
    SubsidyPolicy,
    VoucherPolicy,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def units_for(user):
    units = Unit.objects.all()
    if not user.is_superuser and user.unit_id:
        units = units.filter(path__startswith=user.unit.path)
    return units


class ScopedModelForm(BootstrapMixin, forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if "unit" in self.fields and user is not None:
            self.fields["unit"].queryset = units_for(user)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE
                field.widget.attrs["class"] = "form-control"


class VoucherPolicyForm(ScopedModelForm):
    eligible = forms.MultipleChoiceField(
        label=_("Eligible qualifications"),
        choices=QualificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every enterprise in the library may apply."),
    )

    class Meta:
        model = VoucherPolicy
        fields = [
            "unit",
            "year",
            "name",
            "document",
            "total_budget",
            "enterprise_annual_cap",
            "validity_months",
            "provincial_share",
            "exclusions",
            "is_open",
            "unconfirmed",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible"].initial = self.instance.eligible_kinds
        self.fields["eligible"].widget.attrs["class"] = "form-check-input"

    def save(self, commit=True):
        self.instance.eligible_qualifications = ",".join(self.cleaned_data["eligible"])
        return super().save(commit)


class ServiceProviderForm(ScopedModelForm):
    class Meta:
        model = ServiceProvider
        fields = ["unit", "name", "uscc", "legal_representative", "affiliated_usccs", "contact", "is_active"]
        widgets = {"affiliated_usccs": forms.Textarea(attrs={"rows": 3})}


class ProviderServiceForm(ScopedModelForm):
    class Meta:
        model = ProviderService
        fields = ["category", "name"]


class VoucherApplyForm(BootstrapMixin, forms.Form):
    policy = forms.ModelChoiceField(label=_("Policy"), queryset=VoucherPolicy.objects.filter(is_open=True))
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    category = forms.ChoiceField(label=_("Service category"), choices=choices.ServiceCategory.choices)
    face_value = forms.DecimalField(
        label=_("Face value (10k yuan)"), max_digits=18, decimal_places=4, min_value=Decimal("0.0001")
    )
    legal_representative = forms.CharField(
        label=_("Legal representative"),
        max_length=50,
        required=False,
        help_text=_("Compared with the provider's: one person on both sides is refused."),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=255, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.writable_by(user).order_by("name")


class VoucherUseForm(BootstrapMixin, forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Service provider"), queryset=ServiceProvider.objects.filter(is_active=True)
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=ProviderService.objects.all(), required=False
    )
    contract_number = forms.CharField(label=_("Contract number"), max_length=64, required=False)
    fee = forms.DecimalField(
        label=_("Service fee (10k yuan)"), max_digits=18, decimal_places=4, min_value=Decimal("0.0001")
    )
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=64, required=False)
    invoice_date = forms.DateField(label=_("Invoice date"), widget=DATE)
    persons = forms.IntegerField(label=_("Persons trained"), min_value=1, required=False)
    mandatory_testing = forms.BooleanField(
        label=_("Testing the law makes mandatory"),
        required=False,
        help_text=_("Excluded from vouchers (川科政〔2025〕6号)."),
    )

    def __init__(self, *args, voucher=None, **kwargs):
        super().__init__(*args, **kwargs)
        if voucher is not None:
            self.fields["service"].queryset = ProviderService.objects.filter(category=voucher.category)
        self.fields["invoice_date"].widget.attrs["class"] = "form-control"


class SubsidyPolicyForm(ScopedModelForm):
    class Meta:
        model = SubsidyPolicy
        fields = [
            "unit",
            "year",
            "name",
            "document",
            "method",
            "rate",
            "cap",
            "min_rd",
            "min_revenue",
            "min_intensity",
            "requires_hitech",
            "requires_deduction",
            "provincial_multiplier",
            "provincial_max",
            "giant_multiplier",
            "giant_max",
            "exempt_industries",
            "unconfirmed",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == choices.SubsidyMethod.INCREMENT and cleaned.get("rate") is None:
            self.add_error("rate", _("A rate is required for the increment method."))
        return cleaned


class WhatIfForm(BootstrapMixin, forms.Form):
    rate = forms.DecimalField(
        label=_("Rate on the increment"),
        max_digits=7,
        decimal_places=6,
        min_value=0,
        max_value=1,
        required=False,
    )
    cap = forms.DecimalField(
        label=_("Cap per enterprise (10k yuan)"), max_digits=18, decimal_places=4, min_value=0, required=False
    )
    tier_factor = forms.DecimalField(
        label=_("Tier awards × factor"), max_digits=6, decimal_places=3, min_value=0, required=False
    )


class SubsidyStepForm(BootstrapMixin, forms.Form):
    """The fields one review step records."""

    tax_confirmation = forms.CharField(
        label=_("Tax bureau confirmation"),
        max_length=200,
        required=False,
        help_text=_("The tax bureau's letter or co-signed list number."),
    )
    deduction_rd = forms.DecimalField(
        label=_("R&D in the super-deduction filing (10k yuan)"),
        max_digits=18,
        decimal_places=4,
        min_value=0,
        required=False,
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, required=False)
    clawback_amount = forms.DecimalField(
        label=_("Clawed back (10k yuan)"),
        max_digits=18,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        required=False,
    )
    clawback_reason = forms.CharField(label=_("Claw-back reason"), max_length=255, required=False)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

    def __init__(self, *args, step=None, result=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.step, self.result = step, result
        self.fields["paid_on"].widget.attrs["class"] = "form-control"

    def clean(self):
        cleaned = super().clean()
        need = {
            "confirm": ["tax_confirmation"],
            "pay": ["paid_on"],
            "claw_back": ["clawback_amount", "clawback_reason"],
        }.get(self.step, [])
        for name in need:
            if not cleaned.get(name):
                self.add_error(name, _("Required for this step."))
        amount = cleaned.get("clawback_amount")
        if self.step == "claw_back" and amount and self.result is not None and amount > self.result.amount:
            self.add_error(
                "clawback_amount",
                _("Cannot exceed the amount paid (%(amount)s).") % {"amount": self.result.amount},
            )
        return cleaned


class CommissionerForm(ScopedModelForm):
    class Meta:
        model = Commissioner
        fields = [
            "unit",
            "name",
            "kind",
            "sending_unit",
            "title",
            "rank",
            "specialty",
            "level",
            "outside_province",
            "team",
            "account",
            "phone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = (
            CommissionerTeam.objects.for_user(self.user) if self.user else CommissionerTeam.objects.none()
        )


class TeamForm(ScopedModelForm):
    class Meta:
        model = CommissionerTeam
        fields = ["scheme", "unit", "name", "leader", "starts_on", "ends_on"]


class AssignmentForm(ScopedModelForm):
    class Meta:
        model = Assignment
        fields = ["target_kind", "enterprise", "target_name", "target_uscc", "starts_on", "ends_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = (
            Enterprise.objects.for_user(self.user) if self.user else Enterprise.objects.none()
        )
        self.fields["target_name"].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target_kind") == choices.TargetKind.ENTERPRISE and not cleaned.get("enterprise"):
            self.add_error("enterprise", _("Choose the enterprise served."))
        if cleaned.get("target_kind") != choices.TargetKind.ENTERPRISE and not cleaned.get("target_name"):
            self.add_error("target_name", _("Name the village or cooperative served."))
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end is before the start."))
        return cleaned


class ServiceLogForm(ScopedModelForm):
    class Meta:
        model = ServiceLog
        fields = ["assignment", "date", "days", "kind", "trained", "content", "evidence"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, assignments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignments is not None:
            self.fields["assignment"].queryset = assignments

    def clean(self):
        cleaned = super().clean()
        assignment, day = cleaned.get("assignment"), cleaned.get("date")
        if day and day > timezone.localdate():
            self.add_error("date", _("A service cannot be logged for a future date."))
        if assignment and day and not assignment.covers(day):
            self.add_error(
                "date",
                _("%(date)s is outside the assignment's term (%(start)s to %(end)s).")
                % {"date": day, "start": assignment.starts_on, "end": assignment.ends_on or "—"},
            )
        return cleaned


class FundForm(ScopedModelForm):
    class Meta:
        model = Fund
        fields = ["unit", "year", "kind", "commissioner", "station", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = (
            Commissioner.objects.for_user(self.user) if self.user else Commissioner.objects.none()
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("commissioner") and not cleaned.get("station"):
            self.add_error("station", _("Name the commissioner or the station the funds are for."))
        return cleaned


class OutcomeForm(ScopedModelForm):
    class Meta:
        model = Outcome
        fields = ["year", "kind", "count", "enterprise", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = (
            Enterprise.objects.for_user(self.user) if self.user else Enterprise.objects.none()
        )
        self.fields["year"].initial = datetime.date.today().year


def refusal_messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)
