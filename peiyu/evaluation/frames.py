"""Batch frames: one row per enterprise, with `<field>_<k>` for year − k (money as integer yuan),
`has_<k>`, the profile, `as_of`, and `x_<input>` for evaluation inputs. Built from EvaluationInputs
(files, tests) or straight from the database with one raw query — never through model instances,
whose per-value Decimal conversion dominates the time on a million rows."""

import datetime

import polars as pl

from peiyu.evaluation.inputs import (
    COUNT_FIELDS,
    EXTRAS,
    MONEY_FIELDS,
    YEAR_FIELDS,
    EvaluationInput,
    money_units,
    normalise_extras,
)

KEYS = {"enterprise_id": pl.Int64, "unit_id": pl.Int64, "uscc": pl.String, "name": pl.String, "year": pl.Int32}
PROFILE = {"established": pl.Date, "industry_code": pl.String, "hitech_field": pl.String, "emerging_industry": pl.String, "as_of": pl.Date}


def extra_dtype(name: str):
    return pl.Boolean if EXTRAS[name].kind == "bool" else pl.Int64


def schema(years: int) -> dict:
    out = dict(KEYS)
    for k in range(years):
        out.update({f"{f}_{k}": pl.Int64 for f in YEAR_FIELDS})
        out[f"has_{k}"] = pl.Boolean
    out.update(PROFILE)
    out.update({f"x_{name}": extra_dtype(name) for name in EXTRAS})
    return out


def _extra_value(name, value):
    if value is None:
        return None
    kind = EXTRAS[name].kind
    if kind == "bool":
        return bool(value)
    return money_units(value) if kind == "money" else int(value)


def row_of(inp: EvaluationInput, years: int, keys: dict | None = None) -> dict:
    """The frame row of one input."""
    row = {"uscc": inp.uscc, "name": inp.name, "year": inp.year, **(keys or {})}
    for k in range(years):
        fig = inp.fig(k)
        for name in MONEY_FIELDS:
            row[f"{name}_{k}"] = money_units(getattr(fig, name))
        for name in COUNT_FIELDS:
            row[f"{name}_{k}"] = getattr(fig, name)
        row[f"has_{k}"] = inp.has_year(k)
    row.update(established=inp.established, industry_code=inp.industry_code, hitech_field=inp.hitech_field,
               emerging_industry=inp.emerging_industry, as_of=inp.as_of)
    for name in EXTRAS:
        row[f"x_{name}"] = _extra_value(name, inp.extras.get(name))
    return row


def frame_from_inputs(inputs: list[EvaluationInput], years: int) -> pl.DataFrame:
    return pl.DataFrame([row_of(i, years) for i in inputs], schema=schema(years), orient="row")


def default_extras_columns(height: int) -> dict:
    """Evaluation-input columns at their defaults (expert inputs unknown)."""
    defaults = normalise_extras({})
    return {f"x_{n}": pl.repeat(_extra_value(n, v), height, dtype=extra_dtype(n), eager=True) for n, v in defaults.items()}


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)
