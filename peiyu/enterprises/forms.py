from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from peiyu.core.choice_fields import label_form_empty_choices, show_as_tree
from peiyu.core.choices import Role, UnitKind
from peiyu.core.codes import tech_sme_number_warning, uscc_org_code_warning
from peiyu.core.forms import BootstrapMixin
from peiyu.core.models import Unit, User
from peiyu.enterprises.industries import industry_code_error, split_code
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification, default_valid_until

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def units_for(user):
    units = Unit.objects.all()
    if not user.is_superuser and user.unit_id:
        units = units.filter(path__startswith=user.unit.path)
    return units


def cadres_for(user, current_id=None):
    """Staff who can look after an enterprise (包联干部): active bureau and unit staff — never an
    administrator, a leader or another role — of the user's unit and the units below it, plus bureau
    staff of the units above it (district cadres look after street enterprises), plus the cadre
    already assigned."""
    staff = User.objects.filter(role__in=[Role.BUREAU, Role.UNIT], is_active=True, is_superuser=False)
    if user is not None and not user.is_superuser and user.unit_id:
        below = Q(unit__path__startswith=user.unit.path)
        above = Q(role=Role.BUREAU, unit__in=user.unit.ancestors())
        staff = staff.filter(below | above)
    current = User.objects.filter(pk=current_id)
    return (staff | current).distinct().select_related("unit").order_by("unit__path", "full_name", "username")


def accounts_for(user, enterprise):
    """Enterprise accounts the user may link to `enterprise`: those already linked to it, and active
    ones not yet linked to any enterprise — for users below the platform level only accounts of
    their own unit or the units below it, so nobody links another district's account."""
    free = User.objects.filter(role=Role.ENTERPRISE, is_active=True, enterprises__isnull=True)
    if user is not None and not user.is_superuser and user.unit_id:
        free = free.filter(unit__path__startswith=user.unit.path)
    linked = User.objects.filter(enterprises=enterprise) if enterprise.pk else User.objects.none()
    return (free | linked).distinct().order_by("full_name", "username")


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
        show_as_tree(self.fields["unit"])
        show_as_tree(self.fields["park"])
        label_form_empty_choices(self)
        self.fields["cadre"].queryset = cadres_for(user, self.instance.cadre_id)
        self.fields["cadre"].label_from_instance = staff_label
        # Enterprise users sign in to the enterprises linked here.
        self.fields["accounts"].queryset = accounts_for(user, self.instance)
        self.fields["accounts"].help_text = _(
            "Enterprise users who keep this enterprise's data: accounts of your units not yet linked to another enterprise."
        )
        if user is not None and user.role == Role.ENTERPRISE and not user.is_superuser:
            for name in set(self.fields) - self.self_service_fields:
                del self.fields[name]
            self.fieldsets = [(title, [f for f in names if f in self.fields]) for title, names in self.fieldsets]

    def clean_uscc(self):
        # Spaces and lower case are typing slips, not different codes.
        code = self.cleaned_data["uscc"].strip().replace(" ", "").upper()
        holder = Enterprise.all_objects.filter(uscc=code).exclude(pk=self.instance.pk).first()
        if holder is not None:
            raise forms.ValidationError(duplicate_message(holder, self.user), code="unique")
        return code

    def clean_industry_code(self):
        code = self.cleaned_data["industry_code"].strip().upper()
        if code and (error := industry_code_error(code)):
            raise forms.ValidationError(error)
        return split_code(code)[1]

    def warnings(self) -> list[str]:
        uscc = self.cleaned_data.get("uscc")
        warning = uscc_org_code_warning(uscc) if uscc else None
        return [warning] if warning else []


def staff_label(user) -> str:
    """A cadre as people know them: name and unit, e.g. "李明（张贵庄街道）"."""
    return f"{user}（{user.unit}）" if user.unit_id else str(user)


def duplicate_message(holder, user):
    """Which enterprise already has a credit code, linked when the user may see it; otherwise only
    that it exists elsewhere, without naming it."""
    if not Enterprise.all_objects.for_user(user).filter(pk=holder.pk).exists():
        return _("An enterprise with this credit code is already registered outside your jurisdiction.")
    if holder.deleted_at is not None:
        restore = reverse("enterprise-deleted") if user.is_superuser or user.role == Role.BUREAU else ""
        name = format_html('<a href="{}">{}</a>', restore, holder.name) if restore else holder.name
        return format_html(_("This credit code belongs to the deleted enterprise {name}; restore it instead of entering it again."), name=name)
    link = format_html('<a href="{}">{}</a>', holder.get_absolute_url(), holder.name)
    return format_html(_("This credit code is already registered to {name} ({unit})."), name=link, unit=holder.unit)


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

