"""Finding the enterprises a carrier names, the same way for the form, the API and imports."""

import re

from django.db.models import Q
from django.utils.translation import gettext as _

from peiyu.enterprises.models import Enterprise

SEPARATORS = re.compile(r"[\n\r,，;；、]+")


def split_refs(text: str) -> list[str]:
    """Credit codes or names typed one per line, or separated by commas, semicolons or 、."""
    return list(dict.fromkeys(part.strip() for part in SEPARATORS.split(text or "") if part.strip()))


def resolve_enterprises(refs: list[str], user) -> tuple[list[Enterprise], list[str]]:
    """The library's enterprises by credit code or exact name among those `user` may see, and a
    message for each reference that names none (or several)."""
    visible = Enterprise.objects.for_user(user) if user is not None else Enterprise.objects.all()
    codes = [r.upper() for r in refs]
    found = list(visible.filter(Q(uscc__in=codes) | Q(name__in=refs)).only("pk", "uscc", "name"))
    by_code = {e.uscc: e for e in found}
    by_name: dict[str, list] = {}
    for e in found:
        by_name.setdefault(e.name, []).append(e)
    enterprises, problems = [], []
    for ref in refs:
        match = by_code.get(ref.upper())
        if match is None and len(by_name.get(ref, [])) == 1:
            match = by_name[ref][0]
        if match is not None:
            enterprises.append(match)
        elif len(by_name.get(ref, [])) > 1:
            problems.append(_("“%(ref)s” names several enterprises: give the credit code.") % {"ref": ref})
        else:
            problems.append(
                _(
                    "“%(ref)s” is not an enterprise of the library within your jurisdiction (give its credit code or exact name)."
                )
                % {"ref": ref}
            )
    return list(dict.fromkeys(enterprises)), problems
