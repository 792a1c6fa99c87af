"""Forms of the party ledger: choices limited to the user's units and enterprises; member counts
checked against headcounts, with the error in Chinese naming the figures."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from peiyu.core.forms import BootstrapMixin
from peiyu.core.models import Unit
from peiyu.enterprises.models import Enterprise
from peiyu.party import choices
from peiyu.party.models import (
    Activity,
    Commendation,
    CoverageEntry,
    Instructor,
    LeadCriterion,
    Nomination,
    Organisation,
    Showcase,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def units_for(user):
    units = Unit.objects.all()
    if not user.is_superuser and user.unit_id:
        units = units.filter(path__startswith=user.unit.path)
    return units


class ScopedForm(BootstrapMixin, forms.ModelForm):
    """Limits unit, organisation and enterprise choices to what the user may see."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "unit" in self.fields:
            self.fields["unit"].queryset = units_for(user)
        for name in ("organisation", "parent"):
            if name in self.fields:
                self.fields[name].queryset = Organisation.objects.for_user(user).exclude(
                    pk=self.instance.pk or 0
                )
        if "enterprises" in self.fields:
            self.fields["enterprises"].queryset = Enterprise.objects.for_user(user).order_by(
                "unit__path", "name"
            )
            self.fields["enterprises"].widget.attrs["size"] = 10


class OrganisationForm(ScopedForm):
    fieldsets = [
        (_("Organisation"), ["name", "kind", "setup", "unit", "parent", "founded", "status"]),
        (
            _("Secretary and members"),
            [
                "secretary",
                "secretary_phone",
                "formal_members",
                "probationary_members",
                "mobile_members_placed",
            ],
        ),
        (_("Enterprises covered"), ["enterprises"]),
    ]

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "setup",
            "unit",
            "parent",
            "founded",
            "status",
            "secretary",
            "secretary_phone",
            "formal_members",
            "probationary_members",
            "mobile_members_placed",
            "enterprises",
        ]
        widgets = {"founded": DATE}

    def clean(self):
        data = super().clean()
        covered = list(data.get("enterprises") or [])
        setup, kind = data.get("setup"), data.get("kind")
        if setup == choices.Setup.SINGLE and len(covered) > 1:
            self.add_error(
                "enterprises",
                _("An organisation set up alone covers one enterprise; choose “set up jointly” for several."),
            )
        if kind == choices.OrganisationKind.JOINT_BRANCH and setup == choices.Setup.SINGLE:
            self.add_error("setup", _("A joint party branch is set up jointly or by industry chain."))
        members = (data.get("formal_members") or 0) + (data.get("probationary_members") or 0)
        headcount = CoverageEntry.objects.filter(enterprise__in=covered).aggregate(n=Sum("employees"))["n"]
        if covered and headcount is not None and members > headcount:
            raise ValidationError(
                _(
                    "Members (%(members)s formal and probationary) cannot exceed the headcount of the enterprises covered (%(headcount)s)."
                )
                % {"members": members, "headcount": headcount}
            )
        return data


class InstructorForm(ScopedForm):
    class Meta:
        model = Instructor
        fields = ["name", "phone", "employer", "unit", "appointed", "active", "enterprises"]
        widgets = {"appointed": DATE}


class CoverageEntryForm(BootstrapMixin, forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    class Meta:
        model = CoverageEntry
        fields = ["employees", "party_members", "mobile_members"]


class NominationForm(ScopedForm):
    class Meta:
        model = Nomination
        fields = ["organisation", "year", "criteria", "reasons"]
        widgets = {"criteria": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].queryset = LeadCriterion.objects.filter(active=True)
        self.fields["criteria"].widget.attrs["class"] = "list-unstyled"

    def validate_unique(self):
        try:
            self.instance.validate_unique()
        except ValidationError:
            self.add_error("year", _("This organisation is already nominated for that year."))


class ShowcaseForm(ScopedForm):
    class Meta:
        model = Showcase
        fields = ["kind", "title", "year", "organisation", "unit", "summary"]


class ActivityForm(ScopedForm):
    class Meta:
        model = Activity
        fields = ["date", "kind", "topic", "organisation", "unit", "attendance", "minutes"]
        widgets = {"date": DATE}
        help_texts = {
            "unit": _("For a training the unit runs itself; an organisation's activity belongs to its unit.")
        }

    def clean(self):
        data = super().clean()
        org = data.get("organisation")
        if (
            org
            and data.get("attendance")
            and data["attendance"] > org.members + org.mobile_members_placed + 50
        ):
            self.add_error(
                "attendance",
                _("Attendance looks too high for an organisation of %(n)s members.") % {"n": org.members},
            )
        if org:
            data["unit"] = org.unit
        elif not data.get("unit"):
            self.add_error("unit", _("Choose the organisation or, for a unit's own training, the unit."))
        return data


class CommendationForm(ScopedForm):
    class Meta:
        model = Commendation
        fields = ["year", "kind", "person", "organisation", "unit", "deeds"]


def five_clears_form(unit_return, data=None):
    """One text box per 五个清 item of a unit's return."""
    entries = list(unit_return.entries.select_related("item"))
    form = forms.Form(data)
    for entry in entries:
        form.fields[f"item_{entry.pk}"] = forms.CharField(
            label=entry.item.name,
            required=False,
            initial=entry.content,
            help_text=entry.item.guidance,
            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        )
    form.entries = entries
    return form


__all__ = ["choices"]
