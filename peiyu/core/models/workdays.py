from django.db import models
from django.utils.translation import gettext_lazy as _


class DeclaredDay(models.Model):
    """A day the bureau declares a working day or a day off, overriding the statutory calendar
    (for instance a day off the district grants, or a weekend the bureau works for an inspection)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"), help_text=_("Ticked: a working day; unticked: a day off."))
    reason = models.CharField(_("reason"), max_length=100)

    change_logged = True

    class Meta:
        verbose_name = _("declared day")
        verbose_name_plural = _("declared days")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.reason}"
