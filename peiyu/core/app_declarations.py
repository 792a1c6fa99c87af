"""What a domain app declares on its AppConfig so that it joins the platform without anyone else's
file naming it:

    class TargetsConfig(AppConfig):
        name = "peiyu.targets"
        url_prefix = "targets/"          # its urls module is served there (namespace = app label)
        api_prefix = "/targets/"         # its api module's `router` joins the JSON API there
        menu = [("targets:dashboard", _("Targets"), "bullseye", {Role.BUREAU, Role.UNIT, Role.LEADER})]

and, when it has demo data, a `demo` module whose `load()` runs after the demo district is loaded
(in INSTALLED_APPS order, inside the same transaction)."""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def declaring(attribute: str) -> list:
    return [config for config in apps.get_app_configs() if getattr(config, attribute, None)]


def url_patterns() -> list:
    from django.urls import include, path

    return [path(config.url_prefix, include(f"{config.name}.urls")) for config in declaring("url_prefix")]


def api_routers() -> list[tuple[str, object]]:
    return [
        (config.api_prefix, import_module(f"{config.name}.api").router) for config in declaring("api_prefix")
    ]


def menu_entries() -> list[tuple]:
    """(app config, entry) for every app's menu entries, in INSTALLED_APPS order."""
    return [(config, entry) for config in declaring("menu") for entry in config.menu]


def load_demos() -> None:
    for config in apps.get_app_configs():
        if config.name != "peiyu.demo" and module_has_submodule(config.module, "demo"):
            module = import_module(f"{config.name}.demo")
            if hasattr(module, "load"):
                module.load()
