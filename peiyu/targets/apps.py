from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role


class TargetsConfig(AppConfig):
    name = "peiyu.targets"
    label = "targets"
    verbose_name = _("Targets and assessment")
    url_prefix = "targets/"
    api_prefix = "/targets/"
    menu = [("targets:dashboard", _("Targets and assessment"), "bullseye", {Role.BUREAU, Role.UNIT, Role.LEADER})]
