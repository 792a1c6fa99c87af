"""Reading evaluation inputs straight from the database: a batch frame by one raw query (money
converted to integer yuan in SQL, no model instances), and single inputs for pages through the ORM."""

import polars as pl
from django.db import connection

from peiyu.enterprises.choices import QualificationKind
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification
from peiyu.evaluation.frames import default_extras_columns, schema, year_end
from peiyu.evaluation.inputs import COUNT_FIELDS, MONEY_FIELDS, YEAR_FIELDS, EvaluationInput, YearFigures

PROFILE_COLUMNS = ("established", "industry_code", "hitech_field", "emerging_industry")


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _select_sql(scope_sql: str) -> str:
    e, y = connection.ops.quote_name(Enterprise._meta.db_table), connection.ops.quote_name(EnterpriseYear._meta.db_table)
    money = [f"CAST(ROUND(y.{_column(EnterpriseYear, f)} * 10000) AS BIGINT)" for f in MONEY_FIELDS]
    counts = [f"y.{_column(EnterpriseYear, f)}" for f in COUNT_FIELDS]
    profile = [f"CAST(e.{_column(Enterprise, f)} AS VARCHAR(10))" if f == "established" else f"e.{_column(Enterprise, f)}"
               for f in PROFILE_COLUMNS]
    fields = ["e.id", "e.unit_id", "e.uscc", "e.name", "y.year", *profile, *money, *counts]
    return (
        f"SELECT {', '.join(fields)} FROM {y} y JOIN {e} e ON e.id = y.enterprise_id "
        f"WHERE e.deleted_at IS NULL AND y.year BETWEEN %s AND %s AND e.id IN ({scope_sql})"
    )


def _long_frame(year: int, years: int, enterprises) -> pl.DataFrame:
    scope_sql, scope_params = enterprises.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_select_sql(scope_sql), [year - years + 1, year, *scope_params])
        rows = cursor.fetchall()
    names = ["enterprise_id", "unit_id", "uscc", "name", "year", *PROFILE_COLUMNS, *MONEY_FIELDS, *COUNT_FIELDS]
    types = {"enterprise_id": pl.Int64, "unit_id": pl.Int64, "uscc": pl.String, "name": pl.String, "year": pl.Int32,
             "established": pl.String, "industry_code": pl.String, "hitech_field": pl.String, "emerging_industry": pl.String,
             **{f: pl.Int64 for f in YEAR_FIELDS}}
    frame = pl.DataFrame(rows, schema={n: types[n] for n in names}, orient="row")
    return frame.with_columns(established=pl.col("established").str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))


def hitech_holders(year: int) -> set[int]:
    """Enterprises whose hi-tech certificate is in force at the end of `year`."""
    qs = Qualification.objects.current(year_end(year)).filter(kind=QualificationKind.HITECH)
    return set(qs.values_list("enterprise_id", flat=True))


def read_frame(year: int, years: int, enterprises) -> pl.DataFrame:
    """The batch frame of every enterprise in `enterprises` (a scoped queryset) with figures for
    `year`, carrying `years` years of figures (year, year − 1, …)."""
    long = _long_frame(year, years, enterprises)
    base = long.filter(pl.col("year") == year).select("enterprise_id", "unit_id", "uscc", "name", "year", *PROFILE_COLUMNS)
    for k in range(years):
        part = long.filter(pl.col("year") == year - k).select(
            "enterprise_id", pl.lit(True).alias(f"has_{k}"), *[pl.col(f).alias(f"{f}_{k}") for f in YEAR_FIELDS]
        )
        base = base.join(part, on="enterprise_id", how="left").with_columns(pl.col(f"has_{k}").fill_null(False))
    holders = hitech_holders(year)
    base = base.with_columns(as_of=pl.lit(year_end(year)), **default_extras_columns(base.height))
    base = base.with_columns(x_hitech_certificate_valid=pl.col("enterprise_id").is_in(list(holders)))
    return base.select([pl.col(n).cast(t) for n, t in schema(years).items()])


def inputs_for(enterprises: list[Enterprise], year: int, years: int = 4) -> dict[int, EvaluationInput]:
    """input_for of several enterprises by two queries (their years, their hi-tech certificates),
    keyed by enterprise id; enterprises without figures for `year` are left out."""
    ids = [e.pk for e in enterprises]
    rows: dict[int, dict] = {}
    for row in EnterpriseYear.objects.filter(enterprise_id__in=ids, year__gt=year - years, year__lte=year):
        rows.setdefault(row.enterprise_id, {})[row.year] = row
    holders = set(Qualification.objects.current(year_end(year)).filter(enterprise_id__in=ids, kind=QualificationKind.HITECH)
                  .values_list("enterprise_id", flat=True))
    return {e.pk: _input(e, year, rows[e.pk], e.pk in holders) for e in enterprises if year in rows.get(e.pk, {})}


def _input(enterprise: Enterprise, year: int, rows: dict, holds: bool, extras: dict | None = None) -> EvaluationInput:
    given = {"hitech_certificate_valid": holds, **(extras or {})}
    return EvaluationInput(
        year=year, uscc=enterprise.uscc, name=enterprise.name,
        years={y: YearFigures(**{f: getattr(r, f) for f in YEAR_FIELDS}) for y, r in rows.items()},
        established=enterprise.established, industry_code=enterprise.industry_code, hitech_field=enterprise.hitech_field,
        emerging_industry=enterprise.emerging_industry, extras=given,
    )


def input_for(enterprise: Enterprise, year: int, years: int = 4, extras: dict | None = None) -> EvaluationInput | None:
    """The single-engine input of one enterprise (None when it has no figures for `year`)."""
    rows = {y.year: y for y in enterprise.years.filter(year__gt=year - years, year__lte=year)}
    if year not in rows:
        return None
    holds = Qualification.objects.current(year_end(year)).filter(enterprise=enterprise, kind=QualificationKind.HITECH).exists()
    return _input(enterprise, year, rows, holds, extras)
