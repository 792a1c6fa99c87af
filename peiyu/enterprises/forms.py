from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role, UnitKind
from peiyu.core.codes import tech_sme_number_warning, uscc_org_code_warning
from peiyu.core.forms import BootstrapMixin
from peiyu.core.models import Unit, User
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification, default_valid_until

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def units_for(user):
    units = Unit.objects.all()
    if not user.is_superuser and user.unit_id:
        units = units.filter(path__startswith=user.unit.path)
    return units


def cadres_for(user, current_id=None):
    """Staff who can look after an enterprise: those of the user's unit, the units below it and the
    units above it (district-level cadres), plus the cadre already assigned."""
    staff = User.objects.filter(role__in=[Role.BUREAU, Role.UNIT, Role.LEADER], is_active=True)
    if user is None or user.is_superuser or not user.unit_id:
        return staff
    near = Unit.objects.filter(path__startswith=user.unit.path) | user.unit.ancestors()
    return staff.filter(Q(unit__in=near) | Q(unit__isnull=True) | Q(pk=current_id)).distinct()


class EnterpriseForm(BootstrapMixin, forms.ModelForm):
    fieldsets = [
        (_("Identity"), ["uscc", "name", "established", "registered_capital", "status"]),
        (_("Location and classification"), ["unit", "park", "address", "industry_code", "hitech_field", "emerging_industry"]),
        (_("Contacts"), ["contact_name", "contact_phone", "contact_email", "cadre", "accounts"]),
    ]
    # What an enterprise user may change about their own enterprise.
    self_service_fields = {"address", "contact_name", "contact_phone", "contact_email", "established", "registered_capital"}

    class Meta:
        model = Enterprise
        fields = [
            "uscc", "name", "established", "registered_capital", "status", "unit", "park", "address",
            "industry_code", "hitech_field", "emerging_industry", "contact_name", "contact_phone", "contact_email", "cadre",
            "accounts",
        ]
        widgets = {"established": DATE}
        help_texts = {"industry_code": _("Class code of GB/T 4754-2017, e.g. 3841; the section is derived.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "uscc" in self.fields:  # checked by the model after clean_uscc has normalised it
            self.fields["uscc"].validators = []
        # The current unit and park stay valid choices, so a park official can save an enterprise
        # whose unit is the town around the park.
        current = Unit.objects.filter(pk__in=[self.instance.unit_id, self.instance.park_id])
        units = (units_for(user) | current).distinct()
        self.fields["unit"].queryset = units.exclude(kind=UnitKind.PARK)
        self.fields["park"].queryset = units.filter(kind=UnitKind.PARK)
        self.fields["cadre"].queryset = cadres_for(user, self.instance.cadre_id)
        # Enterprise users sign in to the enterprises linked here.
        self.fields["accounts"].queryset = User.objects.filter(role=Role.ENTERPRISE, is_active=True)
        self.fields["accounts"].help_text = _("Enterprise users who keep this enterprise's data.")
        if user is not None and user.role == Role.ENTERPRISE and not user.is_superuser:
            for name in set(self.fields) - self.self_service_fields:
                del self.fields[name]
            self.fieldsets = [(title, [f for f in names if f in self.fields]) for title, names in self.fieldsets]

    def clean_uscc(self):
        # Spaces and lower case are typing slips, not different codes.
        return self.cleaned_data["uscc"].strip().replace(" ", "").upper()

    def clean_industry_code(self):
        code = self.cleaned_data["industry_code"].strip().upper()
        if code and not (code.lstrip("ABCDEFGHIJKLMNOPQRST").isdigit() and 2 <= len(code.lstrip("ABCDEFGHIJKLMNOPQRST")) <= 4):
            raise forms.ValidationError(_("An industry code is 2 to 4 digits (optionally after the section letter), e.g. 3841 or C3841."))
        return code.lstrip("ABCDEFGHIJKLMNOPQRST")

    def warnings(self) -> list[str]:
        uscc = self.cleaned_data.get("uscc")
        warning = uscc_org_code_warning(uscc) if uscc else None
        return [warning] if warning else []


YEAR_FIELDSETS = [
    (_("Year"), ["year"]),
    (_("Revenue and costs (10k yuan)"), ["revenue", "hitech_revenue", "total_costs", "rd_expense", "rd_expense_domestic", "profit", "taxes"]),
    (_("Assets (10k yuan)"), ["total_assets", "net_assets"]),
    (_("People"), ["employees", "tech_staff", "college_staff"]),
    (_("Intellectual property and R&D"), [
        "invention_patents", "other_class1_ip", "utility_patents", "design_patents", "software_copyrights",
        "patent_applications", "invention_applications", "patents_granted", "rd_institution_level", "standards_led",
    ]),
]



class EnterpriseYearForm(BootstrapMixin, forms.ModelForm):
    fieldsets = YEAR_FIELDSETS

    class Meta:
        model = EnterpriseYear
        fields = [name for _title, names in YEAR_FIELDSETS for name in names]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_year(self):
        year = self.cleaned_data["year"]
        clash = EnterpriseYear.objects.filter(enterprise_id=self.instance.enterprise_id, year=year).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This enterprise already has figures for %(year)s; edit that year instead.") % {"year": year})
        return year


class QualificationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Qualification
        fields = ["kind", "level", "number", "granted_on", "valid_until", "note"]
        widgets = {"granted_on": DATE, "valid_until": DATE}
        help_texts = {"valid_until": _("Leave empty to use the official validity: 3 years for hi-tech certificates, the calendar year for tech-SME registrations.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        self._refresh_default_validity(cleaned)
        granted, until = cleaned.get("granted_on"), cleaned.get("valid_until")
        if granted and until and until < granted:
            self.add_error("valid_until", _("The end of validity cannot be before the date granted."))
        return cleaned

    def _refresh_default_validity(self, cleaned):
        """A new grant date or kind moves an end date that was only the official default."""
        old = self.instance
        if old.pk and {"granted_on", "kind"} & set(self.changed_data) and "valid_until" not in self.changed_data:
            if old.granted_on and old.valid_until == default_valid_until(old.kind, old.granted_on):
                cleaned["valid_until"] = None

    def warnings(self) -> list[str]:
        if self.cleaned_data.get("kind") == "tech_sme":
            warning = tech_sme_number_warning(self.cleaned_data.get("number", ""))
            return [warning] if warning else []
        return []

