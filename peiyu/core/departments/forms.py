from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role
from peiyu.core.forms import BootstrapMixin
from peiyu.core.models import Department, User


class DepartmentForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["unit", "name", "sort_order", "leaders", "members"]
        widgets = {"leaders": forms.SelectMultiple(attrs={"size": 6}), "members": forms.SelectMultiple(attrs={"size": 12})}
        help_texts = {
            "leaders": _("The unit leaders in charge of this department (分管领导)."),
            "members": _("Staff of the department; a person may belong to several departments."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True).exclude(role__in=[Role.ENTERPRISE, Role.EXPERT]).order_by("username")
        self.fields["leaders"].queryset = staff
        self.fields["members"].queryset = staff
        for name in ("leaders", "members"):
            self.fields[name].label_from_instance = lambda u: f"{u} ({u.username})"

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        outside = [u for u in cleaned.get("members", []) if unit and u.unit_id and not u.unit.is_within(unit) and not unit.is_within(u.unit)]
        if outside:
            names = "、".join(str(u) for u in outside)
            raise ValidationError(_("These people work in another unit: %(names)s.") % {"names": names})
        return cleaned
