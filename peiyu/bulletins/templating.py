"""Templates as data: validating a template's slots and sentences, and writing sentences from a
snapshot of figures.

A template body is

    {"slots": [{"name": "revenue", "metric": "enterprises.revenue", "format": "yi"}, …],
     "sections": [{"title": "…", "blocks": [{"type": "text", "text": "…{revenue}…"},
                                            {"type": "table", "id": "…", "rows": "units", "columns": […]},
                                            {"type": "chart", "table": "…", "column": 0, "chart": "bar"}]}]}

A slot takes its value from exactly one source: `metric` (+ `params`, and `period`: current,
last_year or base), `input` (a reported figure), `ratio`/`growth`/`times`/`diff`/`sum` of other
slots, `rank` (the unit's place among its peers), `top` (the first n peers named, ties included),
`groups` (the leader of each group of peers) or `behind` (the units behind schedule named)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peiyu.bulletins import numbers

SLOT = re.compile(r"\{([^{}]*)\}")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Slots every template has without declaring them.
BUILTINS = ("unit_name", "scope", "period", "year", "period_end", "date")
SOURCES = ("metric", "input", "ratio", "growth", "times", "diff", "sum", "rank", "top", "groups", "behind")
COMBINERS = ("ratio", "growth", "times", "diff", "sum")
TEXT_SOURCES = ("top", "groups", "behind")
NOT_REGISTERED = "（指标未登记）"


def slot_names(text: str) -> list[str]:
    return SLOT.findall(text or "")


def check_braces(text: str) -> str | None:
    stripped = SLOT.sub("", text or "")
    if "{" in stripped or "}" in stripped:
        return _("A brace is not closed: write a slot as {name}.")
    return None


def validate_sentence(text: str, known) -> None:
    """Refuse a sentence with an unknown slot or a stray brace, naming the slot and the choices."""
    problem = check_braces(text)
    if problem:
        raise ValidationError(problem)
    unknown = [name for name in slot_names(text) if name not in known]
    if unknown:
        raise ValidationError(
            _("The slot “{%(name)s}” does not exist in this template. Slots you can use: %(known)s.")
            % {"name": unknown[0], "known": "、".join("{" + k + "}" for k in sorted(known))}
        )


def validate(body: dict, title: str = "") -> None:
    """Check a whole template: every slot well formed with one source, every reference known."""
    slots = body.get("slots", [])
    names = set(BUILTINS)
    errors = []
    for slot in slots:
        name = slot.get("name", "")
        if not NAME.match(name):
            errors.append(
                _("“%(name)s” is not a slot name: use lower-case letters, digits and _.") % {"name": name}
            )
            continue
        if name in names:
            errors.append(_("The slot “%(name)s” is declared twice.") % {"name": name})
        sources = [s for s in SOURCES if s in slot]
        if len(sources) != 1:
            errors.append(
                _("The slot “%(name)s” must take its value from exactly one source.") % {"name": name}
            )
        if slot.get("format", "number") not in numbers.FORMATS:
            errors.append(
                _("The slot “%(name)s” has an unknown format “%(format)s”.")
                % {"name": name, "format": slot.get("format")}
            )
        for source in COMBINERS:
            for ref in slot.get(source, []) or []:
                if ref not in names:
                    errors.append(
                        _("The slot “%(name)s” uses “%(ref)s”, which is not declared before it.")
                        % {"name": name, "ref": ref}
                    )
        names.add(name)
    for text in [title] + [s.get("title", "") for s in body.get("sections", [])]:
        try:
            validate_sentence(text, names)
        except ValidationError as error:
            errors.extend(error.messages)
    tables = set()
    for section in body.get("sections", []):
        for block in section.get("blocks", []):
            if block.get("type") == "text":
                try:
                    validate_sentence(block.get("text", ""), names)
                except ValidationError as error:
                    errors.extend(error.messages)
            elif block.get("type") == "table":
                tables.add(block.get("id"))
            elif block.get("type") == "chart" and block.get("table") not in tables:
                errors.append(
                    _("A chart draws the table “%(id)s”, which does not come before it.")
                    % {"id": block.get("table")}
                )
    if errors:
        raise ValidationError(errors)


def fill(text: str, words: dict) -> str:
    """Put each slot's written value into the sentence (a missing one reads as —)."""
    return SLOT.sub(lambda m: words.get(m[1], numbers.DASH), text or "")
