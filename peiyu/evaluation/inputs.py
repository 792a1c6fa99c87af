"""What an evaluation reads: one enterprise's yearly figures (several years for multi-year rules),
its profile, and the optional evaluation inputs that no yearly report carries (certificates,
awards, expert scores). Plain dataclasses, so the engine needs no database."""

import dataclasses
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# Money in 万元, exact to the yuan: four decimal places, as in EnterpriseYear.
MONEY_PLACES = 4
MONEY_SCALE = 10**MONEY_PLACES
_QUANTUM = Decimal(1).scaleb(-MONEY_PLACES)

MONEY_FIELDS = (
    "revenue", "hitech_revenue", "total_costs", "rd_expense", "rd_expense_domestic", "total_assets",
    "net_assets", "taxes", "profit",
)
COUNT_FIELDS = (
    "employees", "tech_staff", "college_staff", "invention_patents", "other_class1_ip", "utility_patents",
    "design_patents", "software_copyrights", "patent_applications", "invention_applications",
    "patents_granted", "rd_institution_level", "standards_led",
)
YEAR_FIELDS = MONEY_FIELDS + COUNT_FIELDS
PROFILE_FIELDS = ("established", "industry_code", "hitech_field", "emerging_industry")


@dataclass(frozen=True)
class Extra:
    """An optional evaluation input. `expert` inputs are unknown when absent (the result then gives
    a range); the others fall back to `default`."""

    name: str
    kind: str  # "bool", "count", "money" or "score"
    default: object = None
    expert: bool = False


EXTRAS = {
    extra.name: extra
    for extra in (
        Extra("hitech_certificate_valid", "bool", False),
        Extra("national_awards_top3", "count", 0),
        Extra("standards_led_5y", "count", None),  # falls back to the year's standards_led
        Extra("dishonest", "bool", False),
        Extra("major_accident", "bool", False),
        Extra("audit_collection", "bool", True),
        Extra("commercialised_results", "count", None, expert=True),
        Extra("ip_expert_score", "score", None, expert=True),
        Extra("rd_management_score", "score", None, expert=True),
        Extra("high_value_class1_ip", "count", None, expert=True),
        Extra("own_class1_ip", "count", None, expert=True),
        Extra("main_revenue", "money", None, expert=True),
        Extra("niche_years", "count", None, expert=True),
        Extra("awards_3y", "count", 0),
        Extra("innovation_title", "bool", False),
        Extra("equity_financing_3y", "money", 0),
        Extra("equity_financing_2y", "money", 0),
        Extra("maker_top500", "bool", False),
        Extra("product_field_score", "score", None, expert=True),
        Extra("digital_score", "score", None, expert=True),
        Extra("quality_score", "score", None, expert=True),
        Extra("local_feature_score", "score", None, expert=True),
        Extra("rd_staff_score", "score", None, expert=True),
        Extra("rd_institution_score", "score", None, expert=True),
    )
}


def to_money(value) -> Decimal | None:
    """A money amount as an exact Decimal of 万元 with four places (yuan); None stays None."""
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(_QUANTUM, rounding=ROUND_HALF_UP)


def money_units(value: Decimal | None) -> int | None:
    """万元 as an integer count of yuan (万元 × 10^4): the exact form the batch engine computes in."""
    return None if value is None else int(value.scaleb(MONEY_PLACES))


@dataclass(frozen=True)
class YearFigures:
    """One year's figures (年度指标), field names as in EnterpriseYear; None means not reported."""

    revenue: Decimal | None = None
    hitech_revenue: Decimal | None = None
    total_costs: Decimal | None = None
    rd_expense: Decimal | None = None
    rd_expense_domestic: Decimal | None = None
    total_assets: Decimal | None = None
    net_assets: Decimal | None = None
    taxes: Decimal | None = None
    profit: Decimal | None = None
    employees: int | None = None
    tech_staff: int | None = None
    college_staff: int | None = None
    invention_patents: int | None = None
    other_class1_ip: int | None = None
    utility_patents: int | None = None
    design_patents: int | None = None
    software_copyrights: int | None = None
    patent_applications: int | None = None
    invention_applications: int | None = None
    patents_granted: int | None = None
    rd_institution_level: int | None = None
    standards_led: int | None = None

    def __post_init__(self):
        for name in MONEY_FIELDS:
            object.__setattr__(self, name, to_money(getattr(self, name)))
        for name in COUNT_FIELDS:
            value = getattr(self, name)
            object.__setattr__(self, name, None if value is None or value == "" else int(value))

    @classmethod
    def from_mapping(cls, data: dict) -> "YearFigures":
        return cls(**{name: data.get(name) for name in YEAR_FIELDS})


EMPTY_YEAR = YearFigures()


def normalise_extras(given: dict | None) -> dict:
    """Every known evaluation input, with defaults filled in for the non-expert ones."""
    given = given or {}
    unknown = set(given) - set(EXTRAS)
    if unknown:
        raise ValueError(f"unknown evaluation inputs: {', '.join(sorted(unknown))}")
    out = {}
    for name, extra in EXTRAS.items():
        value = given.get(name)
        if value is None or value == "":
            value = extra.default
        if value is None:
            out[name] = None
        elif extra.kind == "bool":
            out[name] = bool(value)
        elif extra.kind == "money":
            out[name] = to_money(value)
        else:
            out[name] = int(value)
    return out


@dataclass(frozen=True)
class EvaluationInput:
    """One enterprise evaluated for data year `year` (the latest accounting year used)."""

    year: int
    years: dict[int, YearFigures]
    uscc: str = ""
    name: str = ""
    established: datetime.date | None = None
    industry_code: str = ""
    hitech_field: str = ""
    emerging_industry: str = ""
    extras: dict = field(default_factory=dict)
    as_of: datetime.date | None = None

    def __post_init__(self):
        object.__setattr__(self, "extras", normalise_extras(self.extras))
        if self.as_of is None:
            object.__setattr__(self, "as_of", datetime.date(self.year, 12, 31))

    def fig(self, offset: int = 0) -> YearFigures:
        """Figures of year − offset (an empty year when not reported)."""
        return self.years.get(self.year - offset, EMPTY_YEAR)

    def has_year(self, offset: int = 0) -> bool:
        return (self.year - offset) in self.years

    def extra(self, name: str):
        return self.extras[name]

    def replace(self, **changes) -> "EvaluationInput":
        return dataclasses.replace(self, **changes)
