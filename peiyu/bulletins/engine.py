"""Computing a bulletin: every slot and table of a template evaluated for a unit and a period into
a snapshot (plain JSON: numbers as decimal strings), and the snapshot written out as a document
(sentences, tables of written numbers, chart series) that the page, the .docx and the .xlsx share.

Figures come only from the metric registry (core.metrics) and from reported inputs; a slot bound to
a metric nobody registered reads "（指标未登记）" instead of failing."""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from peiyu.bulletins import numbers
from peiyu.bulletins.templating import NOT_REGISTERED, fill
from peiyu.core import metrics
from peiyu.core.choices import UnitKind
from peiyu.core.models import Unit
from peiyu.core.periods import Period

# Seed 001's revenue bands as the bureau writes them, largest first (RevenueBand values).
BANDS = (
    ("5", "10亿元以上"),
    ("4", "3-10亿元"),
    ("3", "1-3亿元"),
    ("2", "500万元-1亿元"),
    ("1", "500万元以下"),
)
SCOPE_WORDS = {
    UnitKind.CITY: "全市",
    UnitKind.DISTRICT: "全区",
    UnitKind.STREET: "全街",
    UnitKind.TOWN: "全镇",
    UnitKind.ZONE: "全区",
    UnitKind.PARK: "全园",
}
CHINESE_DIGITS = "零一二三四五六七八九十"


def dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def children_of(unit) -> list:
    """The units a bulletin for `unit` reports on: its direct sub-units, parks left out when others
    exist (a park is counted inside its street)."""
    kids = list(Unit.objects.filter(parent=unit).order_by("sort_order", "code"))
    others = [u for u in kids if u.kind != UnitKind.PARK]
    return others or kids


@dataclass
class Context:
    unit: Unit
    period: Period
    base: Period | None
    inputs: dict  # key → (Decimal, source)
    settings: dict
    cache: dict = field(default_factory=dict)
    missing: set = field(default_factory=set)
    _children: list | None = None
    _peers: list | None = None

    @property
    def children(self) -> list:
        if self._children is None:
            self._children = children_of(self.unit)
        return self._children

    def period_for(self, which: str | None) -> Period:
        if which == "last_year":
            return self.period.same_period_last_year()
        if which == "base" and self.base:
            return self.base
        return self.period

    @property
    def peers(self) -> list:
        """Units of the same kind under the same parent (for ranks)."""
        if self._peers is None:
            self._peers = list(Unit.objects.filter(parent_id=self.unit.parent_id, kind=self.unit.kind)) or [
                self.unit
            ]
        return self._peers

    def metric(self, code: str, params: dict, units: list, which: str | None = None) -> dict | None:
        """Values by unit pk of a registered metric (None when nobody registered it). Each metric,
        parameters and period is computed once, for the unit, its sub-units and its peers together:
        one grouped query serves every sentence, table and ranking that reads it."""
        period = self.period_for(which)
        key = (code, json.dumps(params, sort_keys=True), period.code)
        if key not in self.cache:
            try:
                found = metrics.get(code)
            except ValueError:
                self.missing.add(code)
                self.cache[key] = None
            else:
                everyone = {u.pk: u for u in [self.unit, *self.children, *self.peers]}
                self.cache[key] = found.values(list(everyone.values()), period, **params)
        answer = self.cache[key]
        if answer is None:
            return None
        extra = [u for u in units if u.pk not in answer]
        if extra:  # not expected: every caller asks for the unit, its sub-units or its peers
            answer = {**answer, **metrics.get(code).values(extra, period, **params)}
        return answer


def with_setting(params: dict, settings: dict) -> dict:
    """Parameters may name a template setting as "$name" (the targets indicator, for one)."""
    return {
        k: settings.get(v[1:], v) if isinstance(v, str) and v.startswith("$") else v
        for k, v in params.items()
    }


# — slots ——————————————————————————————————————————————————————————————————————————————


def combine(kind: str, args: list):
    if any(a is None for a in args):
        return None
    if kind == "sum":
        return sum(args, Decimal(0))
    a, b = args
    if kind == "ratio":
        return metrics.ratio(a, b)
    if kind == "growth":
        return numbers.change_percent(a, b)
    if kind == "times":
        return a / b if b else None
    return a - b  # diff


def rank_among(values: dict, pk) -> Decimal | None:
    """Competition ranking (1, 2, 2, 4) of `pk` by descending value."""
    mine = values.get(pk)
    if mine is None:
        return None
    return Decimal(1 + sum(1 for v in values.values() if v is not None and v > mine))


def ordered_groups(pairs: list) -> list[tuple[Decimal, list[str]]]:
    """(name, value) pairs → [(value, [names with that value])], largest first, zeros and unknowns left out."""
    groups: dict[Decimal, list[str]] = {}
    for name, value in pairs:
        if value:
            groups.setdefault(value, []).append(name)
    return sorted(groups.items(), key=lambda item: -item[0])


def tied(names: list[str], value, measure: str, fmt: str = "count", parens: bool = True) -> str:
    """RULES §10.1: "A区（n家）" for one unit; "A区和B区均为n家" for a tie."""
    written = numbers.render(value, fmt, measure=measure)
    if len(names) == 1:
        return f"{names[0]}（{written}）" if parens else written
    return "和".join(names) + "均为" + written


def top_text(pairs: list, n: int, measure: str) -> str:
    """The first n units named with their values, a tie at the cut included (RULES §10.1)."""
    parts, taken = [], 0
    for value, names in ordered_groups(pairs):
        if taken >= n:
            break
        parts.append(tied(names, value, measure))
        taken += len(names)
    return "、".join(parts) or "无"


def group_leaders(groups: list, values_by_name: dict) -> list[tuple[str, list[str], Decimal | None]]:
    """For each group of units (as data), its leading units (ties kept) and their value."""
    leaders = []
    for group in groups:
        pairs = [(name, values_by_name.get(name)) for name in group.get("units", [])]
        best = ordered_groups(pairs)
        leaders.append((group["name"], best[0][1] if best else [], best[0][0] if best else None))
    return leaders


def chinese_count(n: int) -> str:
    return CHINESE_DIGITS[n] if 0 <= n <= 10 else str(n)


def compute_slot(slot: dict, ctx: Context, values: dict, texts: dict) -> None:
    name = slot["name"]
    params = with_setting(slot.get("params", {}), ctx.settings)
    if "metric" in slot:
        found = ctx.metric(slot["metric"], params, [ctx.unit], slot.get("period"))
        if found is None:
            texts[name] = NOT_REGISTERED
        values[name] = found and found.get(ctx.unit.pk)
    elif "input" in slot:
        values[name] = ctx.inputs.get(slot["input"], (None, ""))[0]
    elif "rank" in slot:
        spec = slot["rank"]
        found = ctx.metric(spec["metric"], with_setting(spec.get("params", {}), ctx.settings), ctx.peers)
        if found is None:
            texts[name] = NOT_REGISTERED
        values[name] = found and rank_among({u.pk: found.get(u.pk) for u in ctx.peers}, ctx.unit.pk)
    elif any(k in slot for k in ("top", "groups", "behind")):
        text_slot(slot, ctx, values, texts, params)
    else:
        kind = next(k for k in ("ratio", "growth", "times", "diff", "sum") if k in slot)
        refs = slot[kind]
        if any(texts.get(ref) == NOT_REGISTERED for ref in refs):
            texts[name] = NOT_REGISTERED
        values[name] = combine(kind, [values.get(ref) for ref in refs])


def text_slot(slot: dict, ctx: Context, values: dict, texts: dict, params: dict) -> None:
    name = slot["name"]
    spec = slot.get("top") or slot.get("groups") or slot.get("behind")
    spec_params = with_setting(spec.get("params", {}), ctx.settings)
    if "behind" in slot:
        found = ctx.metric("targets.schedule_gap", spec_params, ctx.children)
        if found is None:
            texts[name] = NOT_REGISTERED
            return
        behind = [u.name for u in ctx.children if found.get(u.pk) is not None and found[u.pk] < 0]
        values[name] = Decimal(len(behind))
        if spec.get("part") == "count":
            texts[name] = f"{len(behind)}个"
        else:
            texts[name] = "、".join(behind) if behind else "无"
        return
    groups = ctx.settings.get(spec.get("setting", "groups"), []) if "groups" in slot else None
    if groups == []:  # no groups as data: the sentence using it is left out, nothing to compute
        texts[name] = ""
        return
    found = ctx.metric(spec["metric"], spec_params, ctx.children)
    if found is None:
        texts[name] = NOT_REGISTERED
        return
    pairs = [(u.name, found.get(u.pk)) for u in ctx.children]
    measure = spec.get("measure", "")
    if "top" in slot:
        texts[name] = top_text(pairs, int(spec.get("n", 5)), measure)
        return
    leaders = group_leaders(groups, dict(pairs))
    part = spec.get("part", "leaders")
    if part == "names":
        texts[name] = "、".join(g for g, _n, _v in leaders)
    elif part == "count":
        texts[name] = chinese_count(len(leaders))
    elif part == "values":
        texts[name] = "、".join(
            tied(n, v, measure, parens=False) if n else numbers.DASH for _g, n, v in leaders
        )
    else:
        texts[name] = "、".join("和".join(n) if n else numbers.DASH for _g, n, _v in leaders)


# — tables —————————————————————————————————————————————————————————————————————————————


def table_rows(block: dict, ctx: Context) -> tuple[list, list[dict]]:
    """The rows of a table as (label, unit, extra params) and the total row's."""
    if block.get("rows") == "bands":
        return [(label, ctx.unit, {"band": band}) for band, label in BANDS], [("合计", ctx.unit, {})]
    return [(u.name, u, {}) for u in ctx.children], [
        ("合计" if ctx.unit.kind != UnitKind.CITY else "全市", ctx.unit, {})
    ]


def compute_column_values(column: dict, rows: list, ctx: Context, done: list) -> tuple[list, bool]:
    """One column's values for the rows; combined columns read earlier columns (by index)."""
    for kind in ("ratio", "growth", "diff"):
        if kind in column:
            i, j = column[kind]
            return [combine(kind, [done[i][r], done[j][r]]) for r in range(len(rows))], False
    params = with_setting(column.get("params", {}), ctx.settings)
    out, missing = [], False
    # One registry call per distinct extra-params group (bands) with all units of that group.
    groups: dict[str, list] = {}
    for _label, unit, extra in rows:
        groups.setdefault(json.dumps(extra, sort_keys=True), []).append(unit)
    answers = {}
    for key, units in groups.items():
        extra = json.loads(key)
        unique = list({u.pk: u for u in units}.values())
        found = ctx.metric(column["metric"], {**params, **extra}, unique, column.get("period"))
        missing = missing or found is None
        answers[key] = found or {}
    for _label, unit, extra in rows:
        out.append(answers[json.dumps(extra, sort_keys=True)].get(unit.pk))
    return out, missing


def compute_table(block: dict, ctx: Context) -> dict:
    rows, total = table_rows(block, ctx)
    everything = rows + (total if block.get("total") else [])
    columns, missing = [], []
    for column in block.get("columns", []):
        found, absent = compute_column_values(column, everything, ctx, columns)
        columns.append(found)
        missing.append(absent)
    labels = [label for label, _u, _e in everything]
    table_rows_out = [
        {"label": labels[r], "values": [None if c[r] is None else str(c[r]) for c in columns]}
        for r in range(len(everything))
    ]
    body, tail = table_rows_out[: len(rows)], table_rows_out[len(rows) :]
    if "sort" in block:
        col = block["sort"]
        body.sort(key=lambda row: (row["values"][col] is None, -(Decimal(row["values"][col] or 0))))
        if block.get("rank"):
            scores = {i: dec(row["values"][col]) for i, row in enumerate(body)}
            for i, row in enumerate(body):
                place = rank_among(scores, i)
                row["rank"] = None if place is None else int(place)
    return {"rows": body, "total": tail[0] if tail else None, "missing": missing}


# — the snapshot ————————————————————————————————————————————————————————————————————————


def compute(body: dict, unit, period: Period, inputs: dict, settings: dict | None = None) -> dict:
    """Evaluate every slot and table: the snapshot a bulletin freezes."""
    settings = settings or {}
    base = Period.parse(settings["base_period"]) if settings.get("base_period") else None
    ctx = Context(unit, period, base, inputs, settings)
    values, texts = {}, {}
    for slot in body.get("slots", []):
        compute_slot(slot, ctx, values, texts)
    tables = {}
    for section in body.get("sections", []):
        for block in section.get("blocks", []):
            if block.get("type") == "table":
                tables[block["id"]] = compute_table(block, ctx)
    return {
        "unit": {"id": unit.pk, "name": unit.name, "code": unit.code, "kind": unit.kind},
        "period": period.code,
        "values": {k: None if v is None else str(v) for k, v in values.items()},
        "texts": texts,
        "inputs": {k: {"value": str(v), "source": s} for k, (v, s) in inputs.items()},
        "tables": tables,
        "missing_metrics": sorted(ctx.missing),
        "settings": settings,
        "generated_at": timezone.now().isoformat(),
    }


# — writing it out ——————————————————————————————————————————————————————————————————————


def builtin_words(snapshot: dict) -> dict:
    period = Period.parse(snapshot["period"])
    end = period.end
    generated = snapshot.get("generated_at", "")[:10]
    day = date.fromisoformat(generated) if generated else end
    return {
        "unit_name": snapshot["unit"]["name"],
        "scope": SCOPE_WORDS.get(snapshot["unit"]["kind"], "全区"),
        "period": period.label,
        "year": str(end.year),
        "period_end": f"{end.year}年{end.month}月{end.day}日",
        "date": f"{day.year}年{day.month}月{day.day}日",
    }


def slot_words(body: dict, snapshot: dict) -> dict:
    words = builtin_words(snapshot)
    for slot in body.get("slots", []):
        name = slot["name"]
        if name in snapshot["texts"]:
            words[name] = snapshot["texts"][name]
        else:
            words[name] = numbers.render(
                dec(snapshot["values"].get(name)),
                slot.get("format", "number"),
                slot.get("decimals"),
                slot.get("measure", ""),
            )
    return words


def write_table(block: dict, data: dict) -> dict:
    columns = block.get("columns", [])
    ranked = block.get("rank") and "sort" in block
    header = (["名次"] if ranked else []) + [block.get("row_label", "单位")] + [c["label"] for c in columns]

    def line(row, total=False):
        cells = [dec(v) for v in row["values"]]
        text = [
            NOT_REGISTERED
            if data["missing"][i]
            else numbers.column_text(cells[i], c.get("format", "number"), c.get("decimals"))
            for i, c in enumerate(columns)
        ]
        numbers_out = [
            numbers.cell(cells[i], c.get("format", "number"), c.get("decimals"))
            for i, c in enumerate(columns)
        ]
        lead = [("" if total else str(row.get("rank") or ""))] if ranked else []
        return {
            "text": lead + [row["label"]] + text,
            "cells": lead + [row["label"]] + numbers_out,
            "total": total,
        }

    rows = [line(r) for r in data["rows"]]
    if data.get("total"):
        rows.append(line(data["total"], total=True))
    return {
        "type": "table",
        "id": block["id"],
        "title": block.get("title", ""),
        "header": header,
        "rows": rows,
        "units": [c.get("unit_note", "") for c in columns],
    }


def write_chart(block: dict, data: dict, table_block: dict) -> dict:
    col = block.get("column", 0)
    column = table_block["columns"][col]
    fmt = column.get("format", "number")
    labels = [r["label"] for r in data["rows"]]
    values = [numbers.cell(dec(r["values"][col]), fmt, column.get("decimals")) for r in data["rows"]]
    return {
        "type": "chart",
        "chart": block.get("chart", "bar"),
        "title": block.get("title", column["label"]),
        "labels": labels,
        "values": [v if v is not None else 0 for v in values],
        "series": column["label"],
    }


def unavailable(table: dict) -> bool:
    return bool(table["missing"]) and all(table["missing"])


def document(body: dict, snapshot: dict, title: str) -> dict:
    """The bulletin as written: title, sections of paragraphs, tables (text and numbers) and charts."""
    words = slot_words(body, snapshot)
    tables = {
        b["id"]: b for s in body.get("sections", []) for b in s.get("blocks", []) if b.get("type") == "table"
    }
    sections = []
    for section in body.get("sections", []):
        blocks = []
        for block in section.get("blocks", []):
            kind = block.get("type")
            if block.get("if_setting") and not snapshot.get("settings", {}).get(block["if_setting"]):
                continue
            if kind == "text":
                blocks.append({"type": "text", "text": fill(block["text"], words)})
            elif kind == "table" and unavailable(snapshot["tables"][block["id"]]):
                # every column bound to an unregistered metric: one note instead of a grid of them
                blocks.append({"type": "text", "text": f"{block.get('title', '')}{NOT_REGISTERED}"})
            elif kind == "table":
                blocks.append(write_table(block, snapshot["tables"][block["id"]]))
            elif kind == "chart" and unavailable(snapshot["tables"][block["table"]]):
                continue
            elif kind == "chart":
                blocks.append(write_chart(block, snapshot["tables"][block["table"]], tables[block["table"]]))
        sections.append({"title": fill(section.get("title", ""), words), "blocks": blocks})
    return {
        "title": fill(title, words),
        "date": words["date"],
        "period": words["period"],
        "unit": words["unit_name"],
        "sections": sections,
        "missing_metrics": snapshot.get("missing_metrics", []),
        "inputs": snapshot.get("inputs", {}),
    }
