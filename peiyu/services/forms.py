"""Forms of the services app; units and enterprises offered are the user's own scope."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peiyu.core.forms import BootstrapMixin
from peiyu.core.models import Unit
from peiyu.enterprises.models import Enterprise
from peiyu.services import models
from peiyu.services.choices import ConditionKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def scoped_units(user):
    if user.is_superuser or user.unit_id is None:
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=Unit.objects.subtree_ids(user.unit))


class ScopedUnitMixin:
    """Limit the `unit` field to the user's units."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "unit" in self.fields:
            self.fields["unit"].queryset = scoped_units(user).order_by("code")


class EventForm(ScopedUnitMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = models.ServiceEvent
        fields = ["kind", "date", "unit", "topic", "place", "people", "minutes"]
        widgets = {"date": DATE, "minutes": forms.Textarea(attrs={"rows": 5})}


class CheckInForm(BootstrapMixin, forms.Form):
    codes = forms.CharField(
        label=_("Credit codes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or more unified social credit codes, separated by spaces, commas or new lines."),
    )

    def clean_codes(self):
        codes = [c.upper() for c in re.split(r"[\s,，、;；]+", self.cleaned_data["codes"]) if c]
        if not codes:
            raise ValidationError(_("Enter at least one credit code."))
        return list(dict.fromkeys(codes))


class QuotaForm(ScopedUnitMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = models.Quota
        fields = [
            "unit",
            "year",
            "measure",
            "period",
            "event_kind",
            "product",
            "target",
            "basis",
            "unconfirmed",
        ]


class FinancingForm(BootstrapMixin, forms.ModelForm):
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("enterprise"))

    class Meta:
        model = models.Financing
        fields = ["enterprise", "kind", "product", "lender", "amount", "date", "term_months", "note"]
        widgets = {"date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.writable_by(user).order_by("name")


class FinancingImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("The bank's monthly file (.xlsx, .xls or .csv)"))
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)


class TechPostForm(ScopedUnitMixin, BootstrapMixin, forms.ModelForm):
    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), label=_("enterprise"), required=False
    )

    class Meta:
        model = models.TechPost
        fields = [
            "side",
            "title",
            "field",
            "description",
            "keywords",
            "budget",
            "deadline",
            "public",
            "enterprise",
            "provider",
            "unit",
            "contact",
        ]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.writable_by(user).order_by("name")
        if user is not None and user.role == "enterprise" and not user.is_superuser:
            # An enterprise posts as itself; its unit follows the enterprise.
            del self.fields["unit"]
            del self.fields["provider"]
            self.fields["enterprise"].required = True

    def clean(self):
        data = super().clean()
        if not data.get("enterprise") and not data.get("provider"):
            raise ValidationError(_("Name the enterprise or the institute or provider that posts it."))
        return data

    def save(self, commit=True):
        post = super().save(commit=False)
        if post.enterprise_id and "unit" not in self.fields:
            post.unit = post.enterprise.unit
        if commit:
            post.save()
        return post


class IntroductionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = models.Introduction
        fields = ["introduced_on", "status", "contract_amount", "contract_date", "registered", "note"]
        widgets = {"introduced_on": DATE, "contract_date": DATE}

    def clean(self):
        data = super().clean()
        if data.get("status") == "signed" and (
            data.get("contract_amount") is None or not data.get("contract_date")
        ):
            raise ValidationError(_("A signed contract needs its amount and date."))
        return data


class PolicyForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = models.Policy
        fields = [
            "title",
            "issuer",
            "doc_number",
            "level",
            "issued_on",
            "effective_from",
            "effective_to",
            "benefit_kind",
            "benefit",
            "benefit_amount",
            "unconfirmed",
            "text",
        ]
        widgets = {
            "issued_on": DATE,
            "effective_from": DATE,
            "effective_to": DATE,
            "text": forms.Textarea(attrs={"rows": 8}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            raise ValidationError({"effective_to": _("The end of the period is before its start.")})
        return data


class ConditionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = models.PolicyCondition
        fields = ["kind", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.kind in CODE_LISTS:
            names = {code: name for name, code in _code_lists()[instance.kind].items() if not name.isascii()}
            self.initial["value"] = "、".join(names.get(v, v) for v in instance.values)

    def clean(self):
        from decimal import Decimal, InvalidOperation

        data = super().clean()
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        numeric = {
            ConditionKind.REVENUE_MIN,
            ConditionKind.REVENUE_MAX,
            ConditionKind.RD_RATIO_MIN,
            ConditionKind.EMPLOYEES_MIN,
            ConditionKind.EMPLOYEES_MAX,
        }
        if kind in CODE_LISTS:
            data["value"] = normalise_codes(kind, value)
            if not data["value"]:
                raise ValidationError(
                    {
                        "value": _("None of “%(value)s” is known; use the names listed below.")
                        % {"value": value}
                    }
                )
        if kind in numeric:
            try:
                if Decimal(value) < 0:
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                raise ValidationError(
                    {"value": _("“%(value)s” is not a number of zero or more.") % {"value": value}}
                ) from None
        return data


def _code_list(choices_cls) -> dict[str, str]:
    """Each code and each Chinese (and English) name of a code list, to its code."""
    from django.utils import translation

    out = {}
    for value, label in choices_cls.choices:
        out[str(value).lower()] = str(value)
        for language in ("zh-hans", "en"):
            with translation.override(language):
                out[str(label).lower()] = str(value)
    return out


def _code_lists() -> dict:
    from peiyu.enterprises.choices import HitechField, IndustrySection, QualificationKind, Stage

    return {
        ConditionKind.QUALIFICATION: _code_list(QualificationKind),
        ConditionKind.STAGE: _code_list(Stage),
        ConditionKind.INDUSTRY: _code_list(IndustrySection),
        ConditionKind.HITECH_FIELD: _code_list(HitechField),
    }


CODE_LISTS = {
    ConditionKind.QUALIFICATION,
    ConditionKind.STAGE,
    ConditionKind.INDUSTRY,
    ConditionKind.HITECH_FIELD,
}


def normalise_codes(kind: str, text: str) -> str:
    """ "高新技术企业、科技型中小企业" → "hitech,tech_sme"; unknown names are dropped."""
    known = _code_lists()[kind]
    parts = [p.strip().lower() for p in re.split(r"[,，、;；\n]+", text) if p.strip()]
    codes = [known[p] for p in parts if p in known]
    return ",".join(dict.fromkeys(codes))


ConditionFormSet = forms.inlineformset_factory(
    models.Policy, models.PolicyCondition, form=ConditionForm, extra=2, can_delete=True
)


class DiagnosisForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = models.Diagnosis
        fields = ["written_on", "author", "summary", "strengths", "problems", "suggestions"]
        widgets = {
            "written_on": DATE,
            **{
                f: forms.Textarea(attrs={"rows": 4})
                for f in ("summary", "strengths", "problems", "suggestions")
            },
        }
