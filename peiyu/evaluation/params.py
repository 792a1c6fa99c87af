"""The editable numbers of a rule set — thresholds, tier values, points, pass marks — listed with
their place in the data, so a form can show them, a what-if can change them without saving, and a
local version can be saved with them changed. Also `relax`, which loosens every threshold by a
margin to find near-misses."""

import copy
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import gettext as _

from peiyu.evaluation import registry
from peiyu.evaluation.rules import RuleSetError, common, parse


@dataclass(frozen=True)
class Param:
    path: tuple
    label: str
    kind: str  # threshold, points, score
    value: str
    unit: str = ""

    @property
    def key(self) -> str:
        return ".".join(str(p) for p in self.path)


def _metric_label(metric: str) -> tuple[str, str]:
    entry = common()["metrics"].get(metric, {})
    return entry.get("label", metric), entry.get("unit", "")


def _threshold_label(cond: dict, default_metric: str) -> tuple[str, str]:
    metric = cond.get("metric", default_metric)
    label, unit = _metric_label(metric)
    op = common()["ops"].get(cond.get("op", ">="), "")
    ratio = registry.get(metric).kind in ("ratio", "multiple")
    return f"{label} {op}", _("as a ratio, e.g. 0.05") if ratio else unit


def _points_text(points) -> str:
    return f"{points[0]}-{points[1]}" if isinstance(points, list) else str(points)


def _conditions(cond: dict, path: tuple, title: str, default_metric: str = ""):
    for kind in ("all", "any"):
        for i, child in enumerate(cond.get(kind, ())):
            yield from _conditions(child, (*path, kind, i), title, default_metric)
    if "all" in cond or "any" in cond:
        return
    metric = cond.get("metric", default_metric)
    if metric and registry.get(metric).kind in ("bool", "category"):
        return
    label, unit = _threshold_label(cond, default_metric)
    if "tiers" in cond:
        for j, tier in enumerate(cond["tiers"]):
            if tier.get("value") is not None:
                yield Param((*path, "tiers", j, "value"), f"{title} · {label} · " + _("tier %(n)s") % {"n": j + 1}, "threshold", str(tier["value"]), unit)
    elif "value" in cond:
        yield Param((*path, "value"), f"{title} · {label}", "threshold", str(cond["value"]), unit)


def _indicator(ind: dict, path: tuple, title: str):
    name = f"{title}{ind.get('name', ind['code'])}"
    for kind in ("alternatives", "components"):
        for i, sub in enumerate(ind.get(kind, ())):
            yield from _indicator(sub, (*path, kind, i), f"{name} · ")
    for j, band in enumerate(ind.get("bands", ())):
        label = f"{name} · " + _("band %(band)s") % {"band": band["band"]}
        if band.get("when"):
            yield from _conditions(band["when"], (*path, "bands", j, "when"), label, ind.get("metric", ""))
        if band.get("points") is not None:
            yield Param((*path, "bands", j, "points"), f"{label} · " + _("points"), "points", _points_text(band["points"]))


def parameters(data: dict) -> list[Param]:
    """Every editable number of a rule set, in reading order."""
    out = []
    for i, gate in enumerate(data.get("gates", ())):
        out += _conditions(gate, ("gates", i), gate.get("name", gate["code"]))
    for i, ind in enumerate(data.get("indicators", ())):
        out += _indicator(ind, ("indicators", i), "")
    rule = data.get("pass") or {}
    if "min_score" in rule:
        out.append(Param(("pass", "min_score"), _("pass mark (total score)"), "score", str(rule["min_score"])))
    names = {ind["code"]: ind.get("name", ind["code"]) for ind in data.get("indicators", ())}
    for code, value in rule.get("min_points", {}).items():
        label = _("minimum points of %(indicator)s") % {"indicator": names.get(code, code)}
        out.append(Param(("pass", "min_points", code), label, "score", str(value)))
    for group, value in rule.get("min_group_points", {}).items():
        out.append(Param(("pass", "min_group_points", group), _("minimum points of the %(group)s group") % {"group": common()["groups"].get(group, group)}, "score", str(value)))
    for i, route in enumerate(data.get("routes", ())):
        out += _conditions(route, ("routes", i), route.get("name", route["code"]))
    return out


POINTS = re.compile(r"^\s*(\d+)\s*(?:[-–~～]\s*(\d+))?\s*$")


def _parse(param: Param, text: str):
    text = (text or "").strip()
    if param.kind == "threshold":
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(param.label) from exc
        if not value.is_finite():
            raise ValueError(param.label)
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    match = POINTS.match(text)
    if not match:
        raise ValueError(param.label)
    low, high = int(match.group(1)), int(match.group(2) or match.group(1))
    if param.kind == "score" or low == high:
        return low
    return [low, high]


def _set(data, path: tuple, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def apply(data: dict, values: dict[str, str]) -> tuple[dict, list[str]]:
    """A copy of the rule set with the given parameters changed, and the labels that were invalid.
    The copy is parsed, so a change that breaks the rule set is refused too."""
    changed, errors = copy.deepcopy(data), []
    for param in parameters(data):
        if param.key in values and values[param.key].strip() != param.value:
            try:
                _set(changed, param.path, _parse(param, values[param.key]))
            except (ValueError, KeyError):
                errors.append(param.label)
    if not errors:
        try:
            parse(changed)
        except RuleSetError as exc:
            errors.append(str(exc))
    return changed, errors


def changes(before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(label, old, new) for every parameter that differs."""
    old = {p.key: p for p in parameters(before)}
    return [(p.label, old[p.key].value, p.value) for p in parameters(after) if p.key in old and old[p.key].value != p.value]


def _loosen(cond: dict, margin: Fraction):
    for kind in ("all", "any"):
        for child in cond.get(kind, ()):
            _loosen(child, margin)
    op = cond.get("op", ">=")
    factor = 1 - margin if op in (">=", ">") else 1 + margin if op in ("<=", "<") else None
    if factor is None:
        return
    for holder in [cond] + list(cond.get("tiers", ())):
        value = holder.get("value")
        if isinstance(value, str | int) and not isinstance(value, bool):
            holder["value"] = str(Decimal(str(value)) * Decimal(factor.numerator) / Decimal(factor.denominator))


def relax(data: dict, margin: Fraction) -> dict:
    """The rule set with every gate, route and band threshold and the pass marks loosened by
    `margin` (0.1 = 10%): firms that qualify only under it are near-misses."""
    out = copy.deepcopy(data)
    for item in out.get("gates", []) + out.get("routes", []):
        _loosen(item, margin)

    def walk(ind):
        for band in ind.get("bands", ()):
            if band.get("when"):
                if ind.get("metric") and "metric" not in band["when"] and "all" not in band["when"] and "any" not in band["when"]:
                    band["when"]["metric"] = ind["metric"]
                _loosen(band["when"], margin)
        for sub in ind.get("alternatives", []) + ind.get("components", []):
            walk(sub)

    for ind in out.get("indicators", []):
        walk(ind)
    rule = out.get("pass")
    if rule:
        rule["min_score"] = int(rule["min_score"] * (1 - margin))
        rule["min_group_points"] = {k: int(v * (1 - margin)) for k, v in rule.get("min_group_points", {}).items()}
    return out
