from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peiyu.core.forms import BootstrapMixin
from peiyu.projects import services
from peiyu.projects.models import Affiliation, Application, Call, Expert, Programme, Project, ReserveProject

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(BootstrapMixin, forms.ModelForm):
    """The fixed part of an application; the call's own form fields are added from its data."""

    class Meta:
        model = Application
        fields = ["title", "field", "total_investment", "requested_amount"]

    def __init__(self, data=None, *, instance, call, **kwargs):
        self.call = call
        super().__init__(data, instance=instance, **kwargs)
        for name in ("title", "total_investment", "requested_amount"):
            self.fields[name].required = name == "title"
        self.sections = []
        for section in call.form_sections or []:
            names = []
            for f in section.get("fields", []):
                name = f"answer_{f['name']}"
                if f.get("kind") == "text":
                    field = forms.CharField(
                        label=f["label"], required=False, widget=forms.Textarea(attrs={"rows": 3})
                    )
                else:
                    field = forms.CharField(label=f["label"], required=False)
                field.widget.attrs["class"] = "form-control"
                field.initial = (instance.answers or {}).get(f["name"], "")
                field.is_required_answer = bool(f.get("required"))
                self.fields[name] = field
                names.append(name)
            self.sections.append((section.get("title", ""), names))

    def clean(self):
        data = super().clean()
        answers = {k.removeprefix("answer_"): v for k, v in data.items() if k.startswith("answer_")}
        # Drafts may be incomplete; malformed numbers are refused at once.
        for name, message in services.form_errors(self.call, answers).items():
            if answers.get(name, "").strip():
                self.add_error(f"answer_{name}", message)
        try:
            services.check_request(self.call, data.get("requested_amount"), data.get("total_investment"))
        except ValidationError as e:
            for field, messages in e.message_dict.items():
                self.add_error(field, messages)
        self.instance.answers = answers
        return data


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"})
    )

    def __init__(self, data=None, *, call, review):
        super().__init__(data)
        self.criteria = call.criteria()
        for c in self.criteria:
            self.fields[f"c_{c['code']}"] = forms.DecimalField(
                label=f"{c['label']}（0–{c['max']}）",
                min_value=0,
                max_value=Decimal(str(c["max"])),
                decimal_places=2,
                initial=(review.scores or {}).get(c["code"]),
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
            )
        self.fields["comment"].initial = review.comment

    def scores(self) -> dict:
        return {c["code"]: self.cleaned_data[f"c_{c['code']}"] for c in self.criteria}


class DrawForm(BootstrapMixin, forms.Form):
    group = forms.CharField(
        label=_("Review group"),
        max_length=50,
        required=False,
        help_text=_("Empty: every group not drawn yet."),
    )
    size = forms.IntegerField(label=_("Experts to draw"), min_value=1, max_value=50, initial=5)
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**62,
        help_text=_("Empty: a random seed is chosen and recorded."),
        required=False,
    )
    min_finance = forms.IntegerField(
        label=_("At least this many finance experts"), min_value=0, max_value=10, initial=1
    )
    max_same_employer = forms.IntegerField(
        label=_("At most this many from one employer"), min_value=1, max_value=10, initial=1
    )


class DecisionForm(forms.Form):
    """Amounts per application (empty: not funded), typed by the bureau."""

    def __init__(self, data=None, *, apps, initial_amounts):
        super().__init__(data)
        self.apps = apps
        for app in apps:
            value = initial_amounts.get(app.pk)
            self.fields[f"a_{app.pk}"] = forms.DecimalField(
                required=False,
                min_value=0,
                max_digits=18,
                decimal_places=4,
                initial=format(value.normalize(), "f") if value is not None else None,
                widget=forms.NumberInput(
                    attrs={"class": "form-control form-control-sm text-end", "step": "0.01"}
                ),
            )

    def amounts(self) -> dict[int, Decimal]:
        return {
            app.pk: self.cleaned_data[f"a_{app.pk}"]
            for app in self.apps
            if self.cleaned_data.get(f"a_{app.pk}")
        }


class TrancheForm(BootstrapMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (10k yuan)"), min_value=Decimal("0.0001"), max_digits=18, decimal_places=4
    )
    planned_on = forms.DateField(label=_("Planned on"), widget=DATE)
    condition = forms.CharField(label=_("Condition"), max_length=200, required=False)


class ProjectForm(BootstrapMixin, forms.ModelForm):
    fieldsets = (
        (_("Task book"), ["contract_number", "starts_on", "ends_on", "targets"]),
        (_("Mid-term check"), ["midterm_due", "midterm_done_on", "midterm_conclusion"]),
        (_("Acceptance"), ["acceptance_due", "accepted_on", "acceptance_conclusion"]),
    )

    class Meta:
        model = Project
        fields = [
            "contract_number",
            "starts_on",
            "ends_on",
            "targets",
            "midterm_due",
            "midterm_done_on",
            "midterm_conclusion",
            "acceptance_due",
            "accepted_on",
            "acceptance_conclusion",
        ]
        widgets = {
            f: DATE
            for f in (
                "starts_on",
                "ends_on",
                "midterm_due",
                "midterm_done_on",
                "acceptance_due",
                "accepted_on",
            )
        }

    def __init__(self, data=None, instance=None, user=None):
        super().__init__(data, instance=instance)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data


class ExpertForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Expert
        fields = ["name", "field", "subfield", "title", "employer", "phone", "email", "available", "user"]

    def __init__(self, data=None, instance=None, user=None):
        super().__init__(data, instance=instance)
        self.user = user

    def save(self, commit=True):
        if self.instance.unit_id is None:
            self.instance.unit = self.user.unit or services.Unit.objects.filter(parent__isnull=True).first()
        return super().save(commit)


class AffiliationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Affiliation
        fields = ["kind", "organisation", "uscc", "ended_on"]
        widgets = {"ended_on": DATE}


class ReserveProjectForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ReserveProject
        fields = [
            "enterprise",
            "title",
            "level",
            "plan_name",
            "field",
            "batch",
            "year",
            "status",
            "amount_requested",
            "amount_approved",
            "approved_on",
        ]
        widgets = {"approved_on": DATE}

    def __init__(self, data=None, instance=None, user=None):
        super().__init__(data, instance=instance)
        from peiyu.enterprises.models import Enterprise

        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)

    def clean(self):
        data = super().clean()
        requested, approved = data.get("amount_requested"), data.get("amount_approved")
        if requested is not None and approved is not None and approved > requested:
            self.add_error("amount_approved", _("The amount approved cannot exceed the amount requested."))
        if data.get("status") in ("approved", "completed") and not data.get("approved_on"):
            self.add_error("approved_on", _("An approved project needs its approval date."))
        return data


class ProgrammeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "kind", "funding_mode", "description"]

    def __init__(self, data=None, instance=None, user=None):
        super().__init__(data, instance=instance)
        self.user = user

    def save(self, commit=True):
        if self.instance.unit_id is None:
            self.instance.unit = self.user.unit or services.Unit.objects.filter(parent__isnull=True).first()
        return super().save(commit)


class CallForm(BootstrapMixin, forms.ModelForm):
    """A call with its rules; the form, eligibility and scoring sheet are JSON (see the README)."""

    fieldsets = (
        (_("Call"), ["programme", "year", "title", "challenge"]),
        (_("Dates"), ["opens_on", "closes_at", "unit_check_due", "review_on", "publicity_days"]),
        (_("Money"), ["budget", "funding_cap", "funding_ratio"]),
        (_("Review"), ["trim_from", "spread_limit", "pass_score", "avoid_years"]),
        (_("Rules as data"), ["eligibility", "required_attachments", "form_sections", "scoring_sheet"]),
    )

    class Meta:
        model = Call
        fields = [
            "programme",
            "year",
            "title",
            "challenge",
            "opens_on",
            "closes_at",
            "unit_check_due",
            "review_on",
            "publicity_days",
            "budget",
            "funding_cap",
            "funding_ratio",
            "trim_from",
            "spread_limit",
            "pass_score",
            "avoid_years",
            "eligibility",
            "required_attachments",
            "form_sections",
            "scoring_sheet",
        ]
        widgets = {
            "opens_on": DATE,
            "unit_check_due": DATE,
            "review_on": DATE,
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, data=None, instance=None, user=None):
        super().__init__(data, instance=instance)
        self.fields["programme"].queryset = Programme.objects.writable_by(user)
        self.fields["budget"].required = True

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_at")
        if opens and closes and closes.date() < opens:
            self.add_error("closes_at", _("The deadline cannot be before the call opens."))
        sheet = data.get("scoring_sheet")
        if sheet is not None and (
            not isinstance(sheet, list)
            or not all(isinstance(c, dict) and {"code", "label", "max"} <= set(c) for c in sheet)
        ):
            self.add_error("scoring_sheet", _("A list of criteria, each with code, label and max."))
        rules = data.get("eligibility")
        if rules is not None and not isinstance(rules, dict):
            self.add_error(
                "eligibility", _("An object such as {'rulesets': ['tech-sme-2022'], 'stages': [1]}.")
            )
        elif rules:
            from peiyu.evaluation.models import RuleSet

            RuleSet.objects.sync_official()
            unknown = [c for c in rules.get("rulesets", []) if not RuleSet.objects.filter(code=c).exists()]
            if unknown:
                self.add_error(
                    "eligibility", _("Unknown rule sets: %(codes)s") % {"codes": "、".join(unknown)}
                )
        return data
