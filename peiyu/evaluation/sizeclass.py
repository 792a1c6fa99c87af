"""中小企业划型 (size classes) by industry: 工信部联企业〔2011〕300号 with the statistical table of
国家统计局《统计上大中小微型企业划分办法(2017)》. 大型、中型和小型企业须同时满足所列指标的下限，
否则下划一档；微型企业只须满足所列指标中的一项即可. X = 从业人员 (persons), Y = 营业收入 (万元),
Z = 资产总额 (万元). A missing figure cannot meet a floor, so it moves the firm down a class."""

import polars as pl

CLASSES = ("large", "medium", "small", "micro")

# Floors per industry row: for large, medium and small, the (X, Y, Z) lower bounds (None: not used).
THRESHOLDS: dict[str, tuple[tuple[int | None, int | None, int | None], ...]] = {
    "agriculture": ((None, 20000, None), (None, 500, None), (None, 50, None)),
    "industry": ((1000, 40000, None), (300, 2000, None), (20, 300, None)),
    "construction": ((None, 80000, 80000), (None, 6000, 5000), (None, 300, 300)),
    "wholesale": ((200, 40000, None), (20, 5000, None), (5, 1000, None)),
    "retail": ((300, 20000, None), (50, 500, None), (10, 100, None)),
    "transport": ((1000, 30000, None), (300, 3000, None), (20, 200, None)),
    "warehousing": ((200, 30000, None), (100, 1000, None), (20, 100, None)),
    "postal": ((1000, 30000, None), (300, 2000, None), (20, 100, None)),
    "accommodation": ((300, 10000, None), (100, 2000, None), (10, 100, None)),
    "catering": ((300, 10000, None), (100, 2000, None), (10, 100, None)),
    "information": ((2000, 100000, None), (100, 1000, None), (10, 100, None)),
    "software": ((300, 10000, None), (100, 1000, None), (10, 50, None)),
    "real_estate": ((None, 200000, 10000), (None, 1000, 5000), (None, 100, 2000)),
    "property": ((1000, 5000, None), (300, 1000, None), (100, 500, None)),
    "leasing": ((300, None, 120000), (100, None, 8000), (10, None, 100)),
    "other": ((300, None, None), (100, None, None), (10, None, None)),
}

# GB/T 4754-2017 divisions (大类) → industry row; four-digit prefixes checked first.
_PREFIXES = {"591": "transport", "701": "real_estate", "702": "property"}
_DIVISIONS = [
    (1, 5, "agriculture"), (6, 46, "industry"), (47, 50, "construction"), (51, 51, "wholesale"),
    (52, 52, "retail"), (53, 58, "transport"), (59, 59, "warehousing"), (60, 60, "postal"),
    (61, 61, "accommodation"), (62, 62, "catering"), (63, 64, "information"), (65, 65, "software"),
    (71, 72, "leasing"),
]
DIVISION_ROWS = {f"{d:02d}": row for low, high, row in _DIVISIONS for d in range(low, high + 1)}


def _digits(code: str | None) -> str:
    return (code or "").strip().upper().lstrip("ABCDEFGHIJKLMNOPQRST")


def industry_row(code: str | None) -> str:
    """The 300号 industry row of a GB/T 4754 code ("C3841", "3841", "65"); unknown codes: other."""
    digits = _digits(code)
    for prefix, row in _PREFIXES.items():
        if digits.startswith(prefix):
            return row
    return DIVISION_ROWS.get(digits[:2], "other")


def _meets(floors, values) -> bool:
    return all(f is None or (v is not None and v >= f) for f, v in zip(floors, values, strict=True))


def size_class(industry_code: str | None, employees, revenue, total_assets) -> str:
    """"large", "medium", "small" or "micro" under 300号."""
    values = (employees, revenue, total_assets)
    for name, floors in zip(CLASSES, THRESHOLDS[industry_row(industry_code)], strict=False):
        if _meets(floors, values):
            return name
    return "micro"


def industry_row_expr(code: pl.Expr) -> pl.Expr:
    """industry_row for a column of codes."""
    digits = code.fill_null("").str.strip_chars().str.to_uppercase().str.strip_chars_start("ABCDEFGHIJKLMNOPQRST")
    row = digits.str.slice(0, 2).replace_strict(DIVISION_ROWS, default="other", return_dtype=pl.String)
    for prefix, name in _PREFIXES.items():
        row = pl.when(digits.str.starts_with(prefix)).then(pl.lit(name)).otherwise(row)
    return row


def size_class_expr(code: pl.Expr, employees: pl.Expr, revenue_units: pl.Expr, assets_units: pl.Expr, scale: int) -> pl.Expr:
    """size_class for columns; money columns are in units of 万元 / `scale`."""
    row = industry_row_expr(code)
    values = (employees, revenue_units, assets_units)
    result = pl.lit("micro")
    for index in reversed(range(3)):
        condition = pl.lit(True)
        for position, value in enumerate(values):
            floors = {name: rows[index][position] for name, rows in THRESHOLDS.items()}
            factor = 1 if position == 0 else scale
            floor = row.replace_strict({k: (v * factor if v is not None else None) for k, v in floors.items()}, return_dtype=pl.Int64)
            condition = condition & (floor.is_null() | (value >= floor).fill_null(False))
        result = pl.when(condition).then(pl.lit(CLASSES[index])).otherwise(result)
    return result
