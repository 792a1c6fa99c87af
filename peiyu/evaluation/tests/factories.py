"""Builders for evaluation inputs in tests: one or several years of figures, exact Decimals."""

import datetime
from decimal import Decimal

from peiyu.evaluation.inputs import EvaluationInput, YearFigures

YEAR = 2024


def D(value) -> Decimal:
    return Decimal(str(value))


def one_year(extras=None, profile=None, **figures) -> EvaluationInput:
    """A single data year (YEAR) with the given figures."""
    return EvaluationInput(year=YEAR, years={YEAR: YearFigures(**figures)}, uscc="91120110MA00000017", name="测试企业",
                           extras=extras or {}, **(profile or {}))


def years(rows: list[dict], extras=None, profile=None) -> EvaluationInput:
    """Consecutive years ending in YEAR, oldest first."""
    first = YEAR - len(rows) + 1
    data = {first + i: YearFigures(**row) for i, row in enumerate(rows)}
    return EvaluationInput(year=YEAR, years=data, uscc="91120110MA00000017", name="测试企业", extras=extras or {},
                           **(profile or {}))


# A small tech SME that passes every 科小 gate; tests override what they examine.
TECH_SME = dict(employees=100, tech_staff=30, revenue=D(5000), total_assets=D(3000), total_costs=D(4000),
                rd_expense=D(300), invention_patents=1)


def tech_sme(**overrides) -> EvaluationInput:
    return one_year(**{**TECH_SME, **overrides})


def hitech_rows(**latest) -> list[dict]:
    """Three years of a firm that meets every 高企 gate (5% R&D, 70% hi-tech revenue, 20% staff)."""
    base = dict(employees=100, tech_staff=20, invention_patents=1, total_assets=D(8000), total_costs=D(4000))
    rows = [
        dict(base, revenue=D(3000), rd_expense=D(300), rd_expense_domestic=D(300), hitech_revenue=D(2100), net_assets=D(1000)),
        dict(base, revenue=D(4000), rd_expense=D(400), rd_expense_domestic=D(400), hitech_revenue=D(2800), net_assets=D(1300)),
        dict(base, revenue=D(5000), rd_expense=D(500), rd_expense_domestic=D(500), hitech_revenue=D(3500), net_assets=D(1690)),
    ]
    rows[-1].update(latest)
    return rows


HITECH_PROFILE = dict(established=datetime.date(2015, 3, 1), hitech_field="1")


def hitech(rows=None, extras=None, **profile) -> EvaluationInput:
    return years(rows or hitech_rows(), extras=extras, profile={**HITECH_PROFILE, **profile})
