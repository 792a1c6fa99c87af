"""Forms of targets. Each takes the user so that its unit choices stay inside the user's scope."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peiyu.core import metrics
from peiyu.core.forms import BootstrapMixin
from peiyu.core.models import Unit, User
from peiyu.core.periods import Period
from peiyu.targets.models import Adjustment, Benchmark, Indicator, Plan, ReportedValue, SchemeItem, Target


def units_for(user):
    if user.is_superuser or user.unit_id is None:
        return Unit.objects.all()
    return Unit.objects.filter(path__startswith=user.unit.path)


def clean_period(value: str) -> str:
    try:
        return Period.parse(value).code
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


class ScopedForm(BootstrapMixin, forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            self.fields["unit"].queryset = units_for(user)


class IndicatorForm(ScopedForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "direction",
            "source",
            "metric_code",
            "metric_params",
            "is_ratio",
            "unconfirmed",
            "note",
        ]

    def clean(self):
        data = super().clean()
        if data.get("source") == "computed":
            try:
                metric = metrics.get(data.get("metric_code") or "")
                metric.clean_params(Indicator(metric_params=data.get("metric_params") or "").params)
            except ValueError as exc:
                raise ValidationError(str(exc)) from None
        return data


class PlanForm(ScopedForm):
    class Meta:
        model = Plan
        fields = ["code", "name", "issuer", "unit", "period_code", "status", "document"]

    def clean_period_code(self):
        return clean_period(self.cleaned_data["period_code"])


class TargetForm(ScopedForm):
    leader = forms.ModelChoiceField(
        User.objects.none(), required=False, label=gettext_lazy("Responsible leader")
    )
    person = forms.ModelChoiceField(
        User.objects.none(), required=False, label=gettext_lazy("Responsible person")
    )

    class Meta:
        model = Target
        fields = ["indicator", "unit", "period_code", "baseline", "floor", "stretch", "weight", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True, role__in=["bureau", "leader", "unit"]).order_by(
            "username"
        )
        self.fields["leader"].queryset = people.filter(role="leader")
        self.fields["person"].queryset = people

    def clean_period_code(self):
        value = self.cleaned_data.get("period_code")
        return clean_period(value) if value else ""

    def clean(self):
        data = super().clean()
        floor, stretch, indicator = data.get("floor"), data.get("stretch"), data.get("indicator")
        if (
            floor is not None
            and stretch is not None
            and indicator
            and indicator.direction == "higher"
            and stretch < floor
        ):
            self.add_error("stretch", _("The stretch value must not be below the floor value."))
        return data


class DecomposeForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Split"),
        choices=[
            ("manual", gettext_lazy("By hand")),
            ("baseline", gettext_lazy("By baseline share")),
            ("even", gettext_lazy("Evenly")),
        ],
    )


def decimal_or_none(text: str, label: str, unit) -> Decimal | None:
    text = (text or "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except ArithmeticError:
        raise ValidationError(
            _("%(unit)s: “%(value)s” is not a number (%(field)s).")
            % {"unit": unit, "value": text, "field": label}
        ) from None


class ReportForm(ScopedForm):
    class Meta:
        model = ReportedValue
        fields = ["indicator", "unit", "period_code", "value", "measure", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(source="reported")
        self.fields["period_code"].help_text = _(
            "A month (2025-07), a quarter (2025-Q3) or a year (2025); values are year-to-date."
        )

    def clean_period_code(self):
        return clean_period(self.cleaned_data["period_code"])

    def clean(self):
        data = super().clean()
        indicator, unit = data.get("indicator"), data.get("measure")
        if indicator and unit and unit != indicator.unit:
            self.add_error(
                "measure",
                _("“%(indicator)s” is reported in %(expected)s, not in %(given)s.")
                % {"indicator": indicator.name, "expected": indicator.unit, "given": unit},
            )
        return data

    def save(self, commit=True):
        obj = super().save(commit=False)
        if obj.pk is None:
            obj.submitted_by = self.user
        if commit:
            obj.save()
        return obj


class SchemeItemForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SchemeItem
        fields = ["indicator", "weight", "bonus_cap", "minimum", "veto"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class AdjustmentForm(ScopedForm):
    class Meta:
        model = Adjustment
        fields = ["unit", "points", "reason"]


class BenchmarkForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Benchmark
        fields = ["indicator", "region", "year", "value", "source", "is_own"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


def check_weights(items) -> None:
    """A scheme's points must come to 100 (before bonuses)."""
    total = sum((i.weight for i in items), Decimal(0))
    if total != 100:
        raise ValidationError(
            _("The indicators' points come to %(total)s, not 100.") % {"total": f"{total.normalize():f}"}
        )
