"""The bureau's number rules (数字口径), one module for the page, the .docx and the .xlsx alike.

Money is kept in 万元 (as the enterprise library stores it) and written in 亿元 with two decimals,
trailing zeros dropped as the bureau writes them (491.46亿元, 35.6亿元), or in 万元 for small
amounts; shares to one decimal with % unless a slot asks for more (seed 001 writes 50.6% and
4.86%); counts as plain integers with their measure (520家, 49676人); growth with 增长/下降 chosen
by the sign. Rounding is 四舍五入 (half up) on exact decimals, never binary floats.

The words (增长, 下降, 持平, 个百分点) are part of the Chinese document the bureau files, like the
sentence templates they go into, so they are not translated with the interface."""

from decimal import ROUND_HALF_UP, Decimal

DASH = "—"
WAN_PER_YI = Decimal(10000)
# Formats a slot may name, each with its default number of decimals.
FORMATS = {
    "yi": 2,  # 万元 → 亿元
    "wan": 2,  # 万元
    "money": 2,  # 亿元 from 1亿元 up, 万元 below
    "pct": 1,  # a percentage already × 100
    "count": 0,  # 家 / 人 / 件 / 项 …
    "growth": 1,  # 增长12.3% / 下降4.5% / 持平
    "points": 1,  # 提高2.1个百分点 / 降低… (a difference of percentages)
    "times": 1,  # 是…的5倍
    "schedule": 1,  # 快于序时进度2.1个百分点 / 慢于序时进度… (completion minus elapsed share)
    "number": 2,  # a bare number
}


def quantize(value, decimals: int) -> Decimal:
    """四舍五入 to `decimals` places on the exact decimal."""
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def plain(value, decimals: int, trim: bool = True) -> str:
    """The digits without grouping; trailing zeros (and a bare point) dropped when `trim`."""
    text = f"{quantize(value, decimals):f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def yi(wan, decimals: int = 2, trim: bool = True) -> str:
    """万元 → "491.46亿元"."""
    if wan is None:
        return DASH
    return plain(Decimal(wan) / WAN_PER_YI, decimals, trim) + "亿元"


def wan(value, decimals: int = 2, trim: bool = True) -> str:
    if value is None:
        return DASH
    return plain(value, decimals, trim) + "万元"


def money(value, decimals: int = 2, trim: bool = True) -> str:
    """亿元 for 1亿元 and more, 万元 below (the bureau writes 500万元 and 17.63亿元)."""
    if value is None:
        return DASH
    return yi(value, decimals, trim) if abs(Decimal(value)) >= WAN_PER_YI else wan(value, decimals, trim)


def pct(value, decimals: int = 1, trim: bool = False) -> str:
    """A share already × 100 → "50.6%"; one decimal by default, kept even when zero (12.0%)."""
    if value is None:
        return DASH
    return plain(value, decimals, trim) + "%"


def count(value, measure: str = "") -> str:
    if value is None:
        return DASH
    return plain(value, 0) + measure


def growth(value, decimals: int = 1) -> str:
    """A change in per cent → "增长12.3%" / "下降4.5%" / "持平" (the word carries the sign)."""
    if value is None:
        return DASH
    rounded = quantize(value, decimals)
    if rounded == 0:
        return "持平"
    word = "增长" if rounded > 0 else "下降"
    return f"{word}{plain(abs(rounded), decimals, trim=False)}%"


def points(value, decimals: int = 1) -> str:
    """A difference of two percentages → "提高2.1个百分点" / "降低…" / "持平"."""
    if value is None:
        return DASH
    rounded = quantize(value, decimals)
    if rounded == 0:
        return "持平"
    word = "提高" if rounded > 0 else "降低"
    return f"{word}{plain(abs(rounded), decimals)}" + "个百分点"


def schedule(value, decimals: int = 1) -> str:
    """Completion minus the elapsed share (序时进度), in percentage points, as the bureau reports it."""
    if value is None:
        return DASH
    rounded = quantize(value, decimals)
    if rounded == 0:
        return "与序时进度持平"
    word = "快于" if rounded > 0 else "慢于"
    return f"{word}序时进度{plain(abs(rounded), decimals)}个百分点"


def times(value, decimals: int = 1) -> str:
    """A ratio → "5倍" (seed 001: 是"十五"末的5倍)."""
    if value is None:
        return DASH
    return plain(value, decimals) + "倍"


def change_percent(current, base) -> Decimal | None:
    """(current ÷ base − 1) × 100, exact; None when either is unknown or the base is zero."""
    if current is None or base in (None, 0):
        return None
    return (Decimal(current) / Decimal(base) - 1) * 100


def render(value, fmt: str = "number", decimals: int | None = None, measure: str = "") -> str:
    """Write `value` by the slot's format: the one entry point for page, .docx and .xlsx text."""
    places = FORMATS.get(fmt, 2) if decimals is None else decimals
    if fmt == "yi":
        return yi(value, places)
    if fmt == "wan":
        return wan(value, places)
    if fmt == "money":
        return money(value, places)
    if fmt == "pct":
        return pct(value, places)
    if fmt == "count":
        return count(value, measure)
    if fmt == "growth":
        return growth(value, places)
    if fmt == "points":
        return points(value, places)
    if fmt == "schedule":
        return schedule(value, places)
    if fmt == "times":
        return times(value, places)
    if value is None:
        return DASH
    return plain(value, places) + measure


def cell(value, fmt: str = "number", decimals: int | None = None):
    """The number a spreadsheet cell holds, in the unit its column heading names, rounded as the
    text is (so the .xlsx and the page agree): 亿元 columns hold 亿元, shares hold per cent."""
    if value is None:
        return None
    places = FORMATS.get(fmt, 2) if decimals is None else decimals
    if fmt == "yi":
        return float(quantize(Decimal(value) / WAN_PER_YI, places))
    if fmt == "count":
        return int(quantize(value, 0))
    return float(quantize(value, places))


def column_text(value, fmt: str = "number", decimals: int | None = None) -> str:
    """A table cell's text: the heading names the unit (亿元, 万元, 家), so money keeps its fixed
    decimals without the unit; shares, growth and points read as in sentences."""
    if value is None:
        return DASH
    places = FORMATS.get(fmt, 2) if decimals is None else decimals
    if fmt == "yi":
        return plain(Decimal(value) / WAN_PER_YI, places, trim=False)
    if fmt in ("wan", "number"):
        return plain(value, places, trim=False)
    if fmt == "money":
        return plain(value, places, trim=False)
    if fmt == "count":
        return plain(value, 0)
    return render(value, fmt, decimals)
