"""Text as the platform stores it: free of control characters.

A stray control character (pasted from a PDF or sent through the API) cannot be written to XML or
to many spreadsheets, and it means nothing to a reader. Tabs and line breaks are kept; every other
C0/C1 control, lone surrogates and the non-characters U+FFFE/U+FFFF are dropped wherever text
enters: model saves (forms, API, commands) and spreadsheet cells.
"""

import re

from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_control(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


@receiver(pre_save)
def _strip_control_characters(sender, instance, raw=False, **kwargs):
    """Every text field of the platform's own models is cleaned just before it is written."""
    app = sender._meta.app_config
    if raw or app is None or not app.name.startswith("peiyu."):
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                setattr(instance, field.attname, strip_control(value))
