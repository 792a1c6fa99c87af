from django import forms

from peiyu.core.forms import BootstrapMixin
from peiyu.core.models import DeclaredDay


class DeclaredDayForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = DeclaredDay
        fields = ["date", "is_working_day", "reason"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
