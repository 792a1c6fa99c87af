"""Evaluating from the database: the batch engine over a jurisdiction, results stored with the
rule set version they used; and looking up which version a code means."""

import polars as pl
from django.db import transaction

from peiyu.evaluation import batch, rules
from peiyu.evaluation.dbframes import read_frame
from peiyu.evaluation.models import EvaluationResult, RuleSet


def ruleset_record(spec: str) -> RuleSet:
    """A stored rule set by "code" (its version in use) or "code@version"."""
    RuleSet.objects.sync_official()
    code, _, version = spec.partition("@")
    if version:
        return RuleSet.objects.get(code=code, version=version)
    return RuleSet.objects.get_active(code)


def batch_results(record: RuleSet, year: int, enterprises) -> pl.DataFrame:
    """Batch results (one row per enterprise with figures for `year`) for a scoped queryset."""
    parsed = record.parsed
    frame = read_frame(year, max(parsed.years_needed, 1), enterprises)
    return batch.compile_ruleset(parsed)(frame, keep=["enterprise_id", "unit_id", "uscc", "name"])


def _indicators(parsed: rules.RuleSet, row: dict) -> dict:
    out = {}
    for ind in parsed.indicators:
        prefix = f"i__{ind.code}__"
        out[ind.code] = {k: row[prefix + k] for k in ("band", "band_max", "pmin", "pmax")}
    return out


def _failed(parsed: rules.RuleSet, row: dict) -> list:
    failed = [{"code": g.code, "message": g.name} for g in parsed.gates if row[f"g__{g.code}"] is False]
    if row["eligible"] is False and not failed:
        failed.append({"code": "score" if parsed.pass_rule else "route", "message": ""})
    return failed


def result_objects(record: RuleSet, year: int, frame: pl.DataFrame, user=None) -> list[EvaluationResult]:
    parsed = record.parsed
    return [
        EvaluationResult(
            enterprise_id=row["enterprise_id"], year=year, ruleset=record, eligible=row["eligible"], route=row["route"] or "",
            route_code=row["route_code"] or "", score_min=row["score_min"], score_max=row["score_max"],
            indicators=_indicators(parsed, row), failed=_failed(parsed, row), computed_by=user,
        )
        for row in frame.iter_rows(named=True)
    ]


@transaction.atomic
def store(record: RuleSet, year: int, frame: pl.DataFrame, user=None) -> int:
    """Replace the stored results of these enterprises for this year and rule set version."""
    ids = frame["enterprise_id"].to_list()
    EvaluationResult.objects.filter(ruleset=record, year=year, enterprise_id__in=ids).delete()
    EvaluationResult.objects.bulk_create(result_objects(record, year, frame, user), batch_size=2000)
    return len(ids)


def evaluate_and_store(record: RuleSet, year: int, enterprises, user=None) -> pl.DataFrame:
    frame = batch_results(record, year, enterprises)
    store(record, year, frame, user)
    return frame
