from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from peiyu.core.choices import Role


class BulletinsConfig(AppConfig):
    name = "peiyu.bulletins"
    label = "bulletins"
    verbose_name = _("Statistical bulletins")
    url_prefix = "bulletins/"
    api_prefix = "/bulletins/"
    menu = [
        ("bulletins:cockpit", _("Leaders' cockpit"), "speedometer2", {Role.BUREAU, Role.UNIT, Role.LEADER}),
        (
            "bulletins:bulletin-list",
            _("Statistical bulletins"),
            "file-earmark-bar-graph",
            {Role.BUREAU, Role.UNIT, Role.LEADER},
        ),
    ]
