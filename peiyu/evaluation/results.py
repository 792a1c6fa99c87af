"""What an evaluation returns, and its JSON form (the format `peiyu evaluate` writes and the API
returns): uscc, name, year, ruleset, eligible, route, score or score_min/score_max, indicators,
failed, gaps."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class IndicatorResult:
    """One scored indicator, or one gate shown as an indicator (kind "gate")."""

    code: str
    name: str
    kind: str  # score, gate, class
    value: object = None
    band: str | None = None
    band_max: str | None = None
    points_min: int | None = None
    points_max: int | None = None
    threshold: object = None
    passed: bool | None = None
    label: str = ""
    details: dict = field(default_factory=dict)
    components: list = field(default_factory=list)
    alternative: str = ""
    next_band: dict | None = None
    group: str = ""
    shown: str = ""  # the value as people read it ("5.99%"), for pages
    threshold_shown: str = ""
    why: str = ""  # a gate not met or undecided: why, in the words of the notes

    def to_json(self) -> dict:
        out = {"code": self.code, "name": self.name, "kind": self.kind, "value": self.value, "band": self.band}
        if self.kind == "gate":
            out.update(threshold=self.threshold, passed=self.passed)
        elif self.points_min == self.points_max:
            out["points"] = self.points_min
        else:
            out.update(points_min=self.points_min, points_max=self.points_max)
        if self.band_max and self.band_max != self.band:
            out["band_max"] = self.band_max
        for key in ("label", "alternative", "group"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.details:
            out["details"] = self.details
        if self.components:
            out["components"] = [c.to_json() for c in self.components]
        if self.next_band:
            out["next_band"] = self.next_band
        return out


@dataclass(frozen=True)
class Message:
    code: str
    message: str

    def to_json(self) -> dict:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Gap:
    """One concrete change: `changes` maps input keys ("0.rd_expense", "days", "x.commercialised_results")
    to the amount to add."""

    code: str
    message: str
    amount: Decimal | int
    unit: str
    changes: tuple = ()

    def to_json(self) -> dict:
        return {
            "code": self.code, "message": self.message, "amount": _num(self.amount), "unit": self.unit,
            "changes": {k: _num(v) for k, v in self.changes},
        }


def _num(value) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


@dataclass
class RouteResult:
    code: str
    name: str
    met: bool | None
    failed: list = field(default_factory=list)

    def to_json(self) -> dict:
        return {"code": self.code, "name": self.name, "met": self.met, "failed": [f.to_json() for f in self.failed]}


@dataclass
class Result:
    ruleset: str
    version: str
    year: int
    uscc: str = ""
    name: str = ""
    eligible: bool | None = None
    route: str | None = None
    route_code: str | None = None
    score_min: int | None = None
    score_max: int | None = None
    indicators: list[IndicatorResult] = field(default_factory=list)
    failed: list[Message] = field(default_factory=list)
    pending: list[Message] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    routes: list[RouteResult] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    alternatives: list[list[Gap]] = field(default_factory=list)
    gap_target: str = ""

    def indicator(self, code: str) -> IndicatorResult:
        return next(i for i in self.indicators if i.code == code)

    @property
    def scored(self) -> bool:
        return self.score_min is not None

    def to_json(self) -> dict:
        out = {
            "uscc": self.uscc, "name": self.name, "year": self.year, "ruleset": self.ruleset, "version": self.version,
            "eligible": self.eligible, "route": self.route,
        }
        if self.route_code:
            out["route_code"] = self.route_code
        if self.score_min is not None and self.score_min == self.score_max:
            out["score"] = self.score_min
        else:
            out.update(score_min=self.score_min, score_max=self.score_max)
        out.update(
            indicators=[i.to_json() for i in self.indicators],
            failed=[f.to_json() for f in self.failed],
            pending=[p.to_json() for p in self.pending],
            notes=[n.to_json() for n in self.notes],
            routes=[r.to_json() for r in self.routes],
            gaps=[g.to_json() for g in self.gaps],
        )
        if self.alternatives:
            out["alternatives"] = [[g.to_json() for g in plan] for plan in self.alternatives]
        if self.gap_target:
            out["gap_target"] = self.gap_target
        return out
