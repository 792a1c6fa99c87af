"""Forms of the bulletins app: generating a bulletin, a reported figure, a template's wording."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peiyu.bulletins.models import BulletinTemplate, ReportedInput
from peiyu.bulletins.shipped import INPUT_LABELS
from peiyu.bulletins.templating import validate_sentence
from peiyu.core.forms import BootstrapMixin
from peiyu.core.periods import Period


class PeriodField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        try:
            return Period.parse(value).code
        except ValueError as error:
            raise ValidationError(str(error)) from None


class GenerateForm(BootstrapMixin, forms.Form):
    template = forms.ModelChoiceField(BulletinTemplate.objects.all(), label=_("Template"), empty_label=None)
    unit = forms.ModelChoiceField(None, label=_("Unit"), empty_label=None)
    period = PeriodField(
        label=_("Period"),
        max_length=40,
        help_text=_("A year (2009), a quarter (2025-Q3) or months (2025-01..2025-08)."),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReportedInputForm(BootstrapMixin, forms.ModelForm):
    key = forms.ChoiceField(label=_("Figure"), choices=())
    period = PeriodField(label=_("Period"), max_length=40)

    class Meta:
        model = ReportedInput
        fields = ["unit", "period", "key", "value", "source"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["key"].choices = [(k, str(label)) for k, label in INPUT_LABELS.items()]
        self.fields["source"].help_text = _("Where the figure comes from (统计年鉴, 知识产权局 …).")


class TemplateWordingForm(BootstrapMixin, forms.Form):
    """The title, section titles and sentences of a template, each as its own field; a sentence
    naming an unknown slot is refused with the slot and the ones that exist."""

    def __init__(self, *args, template: BulletinTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.known = template_slot_names(template.body)
        self.fields["title"] = forms.CharField(
            label=_("Document title"), initial=template.title, max_length=200
        )
        for s, section in enumerate(template.body.get("sections", [])):
            self.fields[f"s{s}"] = forms.CharField(
                label=_("Section %(n)s title") % {"n": s + 1}, initial=section.get("title", "")
            )
            for b, block in enumerate(section.get("blocks", [])):
                if block.get("type") == "text":
                    self.fields[f"s{s}b{b}"] = forms.CharField(
                        label=_("Section %(n)s, sentence %(m)s") % {"n": s + 1, "m": b + 1},
                        initial=block["text"],
                        widget=forms.Textarea(attrs={"rows": 3}),
                    )
        for field in self.fields.values():  # added after BootstrapMixin styled the declared ones
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            try:
                validate_sentence(value, self.known)
            except ValidationError as error:
                self.add_error(name, error)
        return data

    def save(self) -> BulletinTemplate:
        body = self.template.body
        for s, section in enumerate(body.get("sections", [])):
            section["title"] = self.cleaned_data[f"s{s}"]
            for b, block in enumerate(section.get("blocks", [])):
                if block.get("type") == "text":
                    block["text"] = self.cleaned_data[f"s{s}b{b}"]
        self.template.body = body
        self.template.title = self.cleaned_data["title"]
        self.template.full_clean()
        self.template.revision += 1
        self.template.save()
        return self.template


def template_slot_names(body: dict) -> set:
    from peiyu.bulletins.templating import BUILTINS

    return set(BUILTINS) | {slot["name"] for slot in body.get("slots", [])}


BUILTIN_LABELS = {
    "unit_name": "单位名称",
    "scope": "范围用语（全区、全街……）",
    "period": "报告期名称",
    "year": "年度",
    "period_end": "报告期末日期",
    "date": "生成日期",
}
COMBINER_WORDS = {"ratio": "占比", "growth": "增减", "times": "倍数", "diff": "差额", "sum": "合计"}


def slot_labels(body: dict) -> list[tuple[str, str]]:
    """Each slot of a template with what it means in Chinese, for the wording editor."""
    from peiyu.core import metrics

    labels = dict(BUILTIN_LABELS)
    for slot in body.get("slots", []):
        name = slot["name"]
        if "metric" in slot:
            try:
                text = str(metrics.get(slot["metric"]).label)
            except ValueError:
                text = "（指标未登记）"
            labels[name] = text + ("（上年同期）" if slot.get("period") == "last_year" else "")
        elif "input" in slot:
            labels[name] = "填报数：" + INPUT_LABELS.get(slot["input"], slot["input"])
        elif "rank" in slot:
            labels[name] = "在同级单位中的名次"
        elif "top" in slot:
            labels[name] = "排名前列的单位"
        elif "groups" in slot:
            labels[name] = "各板块首位"
        elif "behind" in slot:
            labels[name] = "未达序时进度的单位"
        else:
            kind = next((k for k in COMBINER_WORDS if k in slot), "")
            labels[name] = COMBINER_WORDS.get(kind, "") + "（" + "、".join(slot.get(kind, [])) + "）"
    return sorted(labels.items())
