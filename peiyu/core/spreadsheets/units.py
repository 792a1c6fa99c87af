"""Money units written in titles and headers (单位:元 / 万元 / 亿元) and their size in yuan.

Amounts are kept as whole yuan (int) while importing: exact, fast to compare, and exactly the
precision of the library's 万元 fields (four decimal places). `YUAN_PER_WAN` converts back.
"""

import re
import unicodedata

YUAN_PER_WAN = 10_000
# Below this many yuan a float division formats to exactly four decimals (far under 2**53).
FLOAT_EXACT = 10**14
YUAN_PER_UNIT = {"元": 1, "千元": 1_000, "万元": 10_000, "百万元": 1_000_000, "亿元": 100_000_000}
# Units that describe counts or codes; they say nothing about money.
COUNT_UNITS = {"人", "件", "项", "个", "家", "年", "人数", "名", "次", "%", "‰"}

UNIT_DECLARATION = re.compile(r"(?:金额)?单位[:：]?\s*(?:人民币)?\s*(亿元|百万元|万元|千元|元)")


def declared_unit(text: str) -> str | None:
    """The money unit declared in a title or note cell ("单位:元", "金额单位：万元"), if any."""
    match = UNIT_DECLARATION.search(unicodedata.normalize("NFKC", text).replace(" ", ""))
    return match.group(1) if match else None


def is_money_unit(unit: str) -> bool:
    return unit in YUAN_PER_UNIT


def wan(yuan: int | None) -> str | None:
    """Whole yuan as a 万元 amount with four decimals, the text Decimal gives ("3000.0000")."""
    if yuan is None:
        return None
    if -FLOAT_EXACT < yuan < FLOAT_EXACT:
        return f"{yuan / YUAN_PER_WAN:.4f}" if yuan else "0.0000"
    sign = "-" if yuan < 0 else ""
    whole, part = divmod(abs(yuan), YUAN_PER_WAN)
    return f"{sign}{whole}.{part:04d}"


def wan_display(yuan: int | None) -> str:
    """A 万元 amount for people: thousands separators, no trailing zeros ("1,234.5")."""
    if yuan is None:
        return ""
    sign = "-" if yuan < 0 else ""
    whole, part = divmod(abs(yuan), YUAN_PER_WAN)
    fraction = f"{part:04d}".rstrip("0")
    return f"{sign}{whole:,}" + (f".{fraction}" if fraction else "")
