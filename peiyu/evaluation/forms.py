"""Forms of the evaluation pages: the year's figures and the evaluation inputs for self-evaluation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peiyu.core.forms import BootstrapMixin
from peiyu.enterprises.models import EnterpriseYear
from peiyu.evaluation.inputs import EXTRAS

FIGURE_FIELDS = [
    "revenue", "hitech_revenue", "total_costs", "rd_expense", "rd_expense_domestic", "employees", "tech_staff", "total_assets",
    "net_assets", "profit", "invention_patents", "other_class1_ip", "utility_patents", "design_patents", "software_copyrights",
    "patent_applications", "rd_institution_level", "standards_led",
]

EXTRA_LABELS = {
    "hitech_certificate_valid": _("Hi-tech enterprise certificate in force"),
    "national_awards_top3": _("National S&T awards in the last 5 years, ranked in the top 3 (items)"),
    "standards_led_5y": _("International, national or industry standards led in the last 5 years (items)"),
    "dishonest": _("Listed as abnormal or seriously dishonest"),
    "major_accident": _("Major safety or quality accident, or serious environmental violation"),
    "audit_collection": _("Income tax collected on audited accounts"),
    "commercialised_results": _("Results commercialised in the last 3 years (items)"),
    "ip_expert_score": _("Expert score of intellectual property (0–30)"),
    "rd_management_score": _("Expert score of R&D organisation and management (0–20)"),
    "high_value_class1_ip": _("High-value Class I IP items"),
    "own_class1_ip": _("Self-developed Class I IP items"),
    "main_revenue": _("Main business revenue (10k yuan)"),
    "niche_years": _("Years in the market niche"),
    "awards_3y": _("Provincial or national S&T awards in the last 3 years (items)"),
    "innovation_title": _("National innovation demonstration or IP advantage/demonstration enterprise"),
    "equity_financing_3y": _("New equity financing in the last 3 years (10k yuan)"),
    "equity_financing_2y": _("New equity financing in the last 2 years (10k yuan)"),
    "maker_top500": _("Among the national top 500 of the Maker China contest"),
    "product_field_score": _("Score of the main product's field (0–5)"),
    "digital_score": _("Score of digitalisation (0–5)"),
    "quality_score": _("Score of quality management (0–5)"),
    "local_feature_score": _("Score of local features (0–15)"),
    "rd_staff_score": _("Score of R&D staff share (0–5)"),
    "rd_institution_score": _("Score of the R&D institution level (0–10)"),
}


class FiguresForm(BootstrapMixin, forms.ModelForm):
    """One year's figures; validated like the enterprise library (parts never exceed wholes).
    Amounts read without padding zeros; the R&D institution level is a choice, as everywhere else."""

    class Meta:
        model = EnterpriseYear
        fields = FIGURE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rd_institution_level"].widget.attrs["class"] = "form-select form-select-sm"


def _extra_field(name: str):
    extra, label = EXTRAS[name], EXTRA_LABELS[name]
    if extra.kind == "bool":
        choices = [("", _("Not stated")), ("yes", _("Yes")), ("no", _("No"))]
        return forms.TypedChoiceField(label=label, choices=choices, required=False,
                                      coerce=lambda v: {"yes": True, "no": False}.get(v), empty_value=None)
    if extra.kind == "money":
        return forms.DecimalField(label=label, required=False, min_value=0, max_digits=18, decimal_places=4)
    return forms.IntegerField(label=label, required=False, min_value=0)


class ExtrasForm(forms.Form):
    """The optional evaluation inputs; an empty expert score keeps the result a range."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in EXTRA_LABELS:
            field = self.fields[name] = _extra_field(name)
            css = "form-select form-select-sm" if isinstance(field, forms.TypedChoiceField) else "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def extras(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v is not None}
