from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peiyu.core.forms import BootstrapMixin
from peiyu.core.models import Unit
from peiyu.ledger import services
from peiyu.ledger.choices import LedgerKind
from peiyu.ledger.models import Item, Ledger, Report, SupervisionNotice

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def units_for(user):
    units = Unit.objects.all()
    if not user.is_superuser and user.unit_id:
        units = units.filter(path__startswith=user.unit.path)
    return units.order_by("path")


class LedgerForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Ledger
        fields = [
            "name",
            "kind",
            "year",
            "unit",
            "source",
            "description",
            "remind_before_days",
            "escalate_after_days",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "remind_before_days": _(
                "Working days before the deadline when owners are reminded (local practice, to be confirmed: 口径待核实)."
            ),
            "escalate_after_days": _(
                "Working days overdue after which the responsible leader is told (口径待核实)."
            ),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user)
        if not self.instance.pk and user is not None and user.unit_id:
            self.initial.setdefault("unit", user.unit_id)


class ItemForm(BootstrapMixin, forms.ModelForm):
    """An item as the bureau writes it: names of leaders, departments (the first leads) and persons
    as text, matched to accounts on saving; measures one per line; the deadline a date or long-term."""

    measures_text = forms.CharField(
        label=_("Measures"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One measure per line, in order (一是…, 二是…)."),
    )
    enterprises_text = forms.CharField(
        label=_("Linked enterprises"),
        required=False,
        help_text=_("Names or credit codes, separated by 、 or commas."),
    )

    class Meta:
        model = Item
        fields = [
            "number",
            "category",
            "problem",
            "manifestations",
            "goal",
            "measures_text",
            "leaders_text",
            "departments_text",
            "persons_text",
            "long_term",
            "deadline",
            "cadence",
            "source",
            "unit",
            "enterprises_text",
            "targets",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 2}),
            "manifestations": forms.Textarea(attrs={"rows": 4}),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "deadline": DATE,
        }
        help_texts = {
            "departments_text": _(
                "Separated by 、; the first listed is the lead department (排名最前的为牵头部门)."
            ),
            "leaders_text": _("Separated by 、; the first listed is directly responsible."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.owners = None
        self.fields["unit"].queryset = units_for(user)
        self.fields["unit"].required = False
        from peiyu.targets.models import Target

        self.fields["targets"].queryset = Target.objects.for_user(user).select_related(
            "indicator", "unit", "plan"
        )
        self.fields["targets"].widget.attrs["size"] = 6
        self.fields["departments_text"].required = True
        self.fields["departments_text"].error_messages["required"] = _(
            "An item needs a lead department: name at least one responsible department."
        )
        if self.instance.pk:
            self.initial["measures_text"] = "\n".join(self.instance.measures.values_list("text", flat=True))
            self.initial["enterprises_text"] = "、".join(
                self.instance.enterprises.values_list("name", flat=True)
            )
        elif self.instance.ledger_id:
            last = self.instance.ledger.items.order_by("-number").values_list("number", flat=True).first()
            self.initial.setdefault("number", (last or 0) + 1)

    def clean_enterprises_text(self):
        from peiyu.enterprises.models import Enterprise

        names = services.split_names(self.cleaned_data["enterprises_text"].replace(",", "、"))
        visible = Enterprise.objects.for_user(self.user)
        found, missing = [], []
        for name in names:
            match = visible.filter(Q(name=name) | Q(uscc=name.upper())).first()
            (found.append(match) if match else missing.append(name))
        if missing:
            raise forms.ValidationError(
                _("No enterprise in your units is called or has the credit code: %(names)s")
                % {"names": "、".join(missing)}
            )
        self.linked = found
        return self.cleaned_data["enterprises_text"]

    def clean(self):
        data = super().clean()
        item = self.instance
        if data.get("long_term"):
            data["deadline"] = None
        unit = data.get("unit") or item.ledger.unit
        data["unit"] = unit
        self.owners = services.match_owners(
            unit, data.get("leaders_text", ""), data.get("departments_text", ""), data.get("persons_text", "")
        )
        item.lead_department_name = self.owners.departments[0][0] if self.owners.departments else ""
        return data

    def save(self, commit=True):
        item = super().save(commit=False)
        services.apply_owners(item, self.owners)
        item.deadline_text = ""
        item.save()
        services.save_responsibility(item, self.owners)
        services.set_measures(item, services.split_measures(self.cleaned_data["measures_text"]))
        item.enterprises.set(getattr(self, "linked", []))
        item.targets.set(self.cleaned_data.get("targets") or [])
        return item

    def warnings(self):
        return self.owners.warnings() if self.owners else []


class ReportForm(BootstrapMixin, forms.ModelForm):
    evidence = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, Word, Excel, images …; more files can be added below."),
    )

    class Meta:
        model = Report
        fields = ["measure", "text", "percent", "milestone"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = item.measures.all()
        self.fields["measure"].empty_label = _("The item as a whole")
        self.fields["measure"].label_from_instance = lambda m: f"{m.position}. {m.text[:40]}"
        self.fields["percent"].widget.attrs.update(min=0, max=100)


class NoticeForm(BootstrapMixin, forms.ModelForm):
    due_in = forms.IntegerField(label=_("Reply within (working days)"), min_value=1, max_value=60, initial=5)

    class Meta:
        model = SupervisionNotice
        fields = ["content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}


class ReplyForm(BootstrapMixin, forms.Form):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for return"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Ledger file (.docx or .xlsx)"))
    name = forms.CharField(label=_("Ledger name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=LedgerKind.choices)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user)
        if user is not None and user.unit_id:
            self.initial.setdefault("unit", user.unit_id)
