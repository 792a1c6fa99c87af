"""Rule sets as data: the JSON files in `rulesets/` (and local copies stored in the database) are
parsed here into small frozen structures the engines walk. A rule set names metrics from the
registry; everything else — thresholds, bands, points, messages — is data.

Shape of a rule set (see rulesets/tech-sme-2017.json for a full example):
- `gates`: conditions that must all hold (each with a Chinese failure `message`);
- `indicators`: banded, scored indicators (bands best first; the last band is the catch-all);
  an indicator may instead pick the best of `alternatives`, or sum `components` up to a `cap`,
  and an `override` names the expert-score input that replaces its points when given;
- `pass`: the score needed (`min_score`, `exclusive`), per-indicator and per-group minimums;
- `routes`: direct-confirmation routes; any one of them (with the gates) qualifies.
Eligible = all gates and (any route or the score passes); with neither routes nor a pass rule,
the gates alone decide.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

from django.utils import translation

from peiyu.evaluation import registry
from peiyu.evaluation.inputs import EXTRAS

RULESET_DIR = Path(__file__).resolve().parent / "rulesets"
COMMON_FILE = RULESET_DIR / "_common.json"
ENGLISH_FILE = RULESET_DIR / "_english.json"
NUMERIC_OPS = {">=", ">", "<=", "<", "==", "!="}
SET_OPS = {"in", "not in"}


class RuleSetError(ValueError):
    """A rule set that cannot be evaluated (unknown metric, missing catch-all band, bad number…)."""


def number(raw) -> Fraction:
    """A threshold written as a decimal string ("0.05") or integer, as an exact Fraction."""
    if isinstance(raw, bool) or raw is None:
        raise RuleSetError(f"not a number: {raw!r}")
    if isinstance(raw, float):
        raise RuleSetError(f"write {raw!r} as a decimal string, never a binary float")
    try:
        return Fraction(Decimal(str(raw).strip()))
    except Exception as exc:
        raise RuleSetError(f"not a number: {raw!r}") from exc


@dataclass(frozen=True)
class Tier:
    when: "Condition | None"
    value: Fraction | None  # None: no threshold can be met in this tier


@dataclass(frozen=True)
class Condition:
    kind: str  # leaf, all, any
    metric: str = ""
    op: str = ""
    value: object = None
    tiers: tuple[Tier, ...] = ()
    children: tuple["Condition", ...] = ()
    name: str = ""
    message: str = ""

    def metrics(self) -> set[str]:
        names = {self.metric} if self.metric else set()
        for child in self.children:
            names |= child.metrics()
        for tier in self.tiers:
            if tier.when:
                names |= tier.when.metrics()
        return names


@dataclass(frozen=True)
class Band:
    band: str
    points: tuple[int, int] | None
    when: Condition | None = None
    label: str = ""


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    metric: str = ""
    group: str = ""
    max: int | None = None
    bands: tuple[Band, ...] = ()
    alternatives: tuple["Indicator", ...] = ()
    components: tuple["Indicator", ...] = ()
    cap: int | None = None
    override: str = ""
    unconfirmed: str = ""

    @property
    def scored(self) -> bool:
        if self.alternatives or self.components:
            return True
        return any(b.points is not None for b in self.bands)

    def metrics(self) -> set[str]:
        names = {self.metric} if self.metric else set()
        for band in self.bands:
            if band.when:
                names |= band.when.metrics()
        for sub in self.alternatives + self.components:
            names |= sub.metrics()
        return names


@dataclass(frozen=True)
class Gate:
    code: str
    name: str
    condition: Condition
    message: str = ""
    unconfirmed: str = ""


@dataclass(frozen=True)
class PassRule:
    min_score: int
    exclusive: bool = False
    min_points: dict = field(default_factory=dict)
    min_group_points: dict = field(default_factory=dict)
    messages: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    code: str
    version: str
    name: str
    data: dict
    gates: tuple[Gate, ...]
    indicators: tuple[Indicator, ...]
    routes: tuple[Gate, ...]
    pass_rule: PassRule | None
    options: dict

    @property
    def years_needed(self) -> int:
        names = set()
        for gate in self.gates + self.routes:
            names |= gate.condition.metrics()
        for indicator in self.indicators:
            names |= indicator.metrics()
        return max([registry.get(n).years for n in names] + [1])

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)


def _leaf(data: dict, default_metric: str = "") -> Condition:
    metric = data.get("metric", default_metric)
    if metric not in registry.REGISTRY:
        raise RuleSetError(f"unknown metric {metric!r}")
    op = data.get("op", ">=")
    kind = registry.get(metric).kind
    if op in SET_OPS:
        value = tuple(str(v) for v in data["value"])
    elif op not in NUMERIC_OPS:
        raise RuleSetError(f"unknown operator {op!r}")
    elif kind == "bool":
        value = bool(data["value"])
    elif kind == "category":
        value = str(data["value"])
    else:
        value = number(data["value"]) if "tiers" not in data else None
    tiers = tuple(
        Tier(condition(t["when"]) if t.get("when") else None, None if t.get("value") is None else number(t["value"]))
        for t in data.get("tiers", ())
    )
    return Condition("leaf", metric, op, value, tiers, name=data.get("name", ""), message=data.get("message", ""))


def condition(data: dict, default_metric: str = "") -> Condition:
    """Parse a condition: a leaf ({metric, op, value} or {metric, op, tiers}), or {all: […]} / {any: […]}."""
    for kind in ("all", "any"):
        if kind in data:
            children = tuple(condition(c, default_metric) for c in data[kind])
            return Condition(kind, children=children, name=data.get("name", ""), message=data.get("message", ""))
    return _leaf(data, default_metric)


def _points(raw) -> tuple[int, int] | None:
    if raw is None:
        return None
    low, high = (raw, raw) if isinstance(raw, int) else raw
    if not (isinstance(low, int) and isinstance(high, int) and 0 <= low <= high):
        raise RuleSetError(f"points must be an integer or [low, high]: {raw!r}")
    return int(low), int(high)


def _band(data: dict, metric: str) -> Band:
    when = condition(data["when"], metric) if data.get("when") else None
    return Band(str(data["band"]), _points(data.get("points")), when, data.get("label", ""))


def indicator(data: dict) -> Indicator:
    metric = data.get("metric", "")
    bands = tuple(_band(b, metric) for b in data.get("bands", ()))
    if bands and bands[-1].when is not None:
        raise RuleSetError(f"indicator {data['code']}: the last band must be the catch-all (no 'when')")
    override = data.get("override", "")
    if override and (override not in EXTRAS or EXTRAS[override].kind != "score"):
        raise RuleSetError(f"indicator {data['code']}: unknown expert-score input {override!r}")
    return Indicator(
        code=data["code"], name=data.get("name", data["code"]), metric=metric, group=data.get("group", ""),
        max=data.get("max"), bands=bands, override=override, cap=data.get("cap"),
        alternatives=tuple(indicator(a) for a in data.get("alternatives", ())),
        components=tuple(indicator(c) for c in data.get("components", ())),
        unconfirmed=data.get("unconfirmed", ""),
    )


def _gate(data: dict) -> Gate:
    return Gate(data["code"], data.get("name", data["code"]), condition(data), data.get("message", ""), data.get("unconfirmed", ""))


def _pass(data: dict | None) -> PassRule | None:
    if not data:
        return None
    return PassRule(
        int(data["min_score"]), bool(data.get("exclusive", False)), dict(data.get("min_points", {})),
        dict(data.get("min_group_points", {})), dict(data.get("messages", {})),
    )


def parse(data: dict) -> RuleSet:
    """A RuleSet from its JSON data; raises RuleSetError when it names something unknown."""
    try:
        return RuleSet(
            code=data["code"], version=str(data["version"]), name=data["name"], data=data,
            gates=tuple(_gate(g) for g in data.get("gates", ())),
            indicators=tuple(indicator(i) for i in data.get("indicators", ())),
            routes=tuple(_gate(r) for r in data.get("routes", ())),
            pass_rule=_pass(data.get("pass")), options=dict(data.get("options", {})),
        )
    except KeyError as exc:
        raise RuleSetError(f"missing key {exc}") from exc


@cache
def _chinese() -> dict:
    return json.loads(COMMON_FILE.read_text(encoding="utf-8"))


@cache
def _english() -> dict:
    return json.loads(ENGLISH_FILE.read_text(encoding="utf-8"))


@cache
def _english_common() -> dict:
    """The shared wording with every English entry laid over the Chinese one (sections merged a level deep)."""
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in _chinese().items()}
    for key, value in _english()["common"].items():
        merged[key] = {**merged.get(key, {}), **value}
    return merged


def english() -> bool:
    """Whether the request is being answered in English (the command line, with no language active, stays Chinese)."""
    return (translation.get_language() or "").startswith("en")


def common() -> dict:
    """Labels, units and message templates shared by every rule set: the Chinese official wording,
    or its English when the interface is English."""
    return _english_common() if english() else _chinese()


def localized(text: str) -> str:
    """A rule set's own Chinese wording (a name, a band label, a message) as the interface shows it."""
    return _english()["text"].get(text, text) if text and english() else text


def official_files() -> list[Path]:
    return sorted(p for p in RULESET_DIR.glob("*.json") if not p.name.startswith("_"))


@cache
def official_data() -> dict[str, dict]:
    """The shipped rule sets by code, as data."""
    out = {}
    for path in official_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        out[data["code"]] = data
    return out


@cache
def official(code: str) -> RuleSet:
    """A shipped rule set by code (no database needed)."""
    try:
        return parse(official_data()[code])
    except KeyError:
        raise RuleSetError(f"no rule set {code!r}; known: {', '.join(official_data())}") from None


def load_file(path: str | Path) -> RuleSet:
    return parse(json.loads(Path(path).read_text(encoding="utf-8")))
