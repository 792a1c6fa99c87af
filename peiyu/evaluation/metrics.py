"""Metrics as small pure functions with exact arithmetic: ratios are Fractions, money is Decimal,
nothing passes through a binary float. Each docstring names the official definition it follows
(see the shared RULES.md for the sources). None means the metric cannot be computed from the data
(a missing figure or a zero denominator); callers treat that as "condition not met"."""

import datetime
from decimal import Decimal
from fractions import Fraction

Number = int | Decimal | Fraction


def _f(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def ratio(part: Number | None, whole: Number | None) -> Fraction | None:
    """part ÷ whole exactly; None when either is missing or the whole is not positive."""
    if part is None or whole is None or whole <= 0:
        return None
    return _f(part) / _f(whole)


def tech_staff_ratio(tech_staff: int | None, employees: int | None) -> Fraction | None:
    """科技人员数 ÷ 职工总数 (国科发政〔2017〕115号 科技人员指标; 国科发火〔2016〕32号 第十一条(四))."""
    return ratio(tech_staff, employees)


def rd_sales_ratio(rd_expense: Decimal | None, revenue: Decimal | None) -> Fraction | None:
    """研发费用总额 ÷ 销售收入总额 (115号 研发投入指标 (a)); 销售收入 = 主营业务收入 + 其他业务收入,
    the 高企 definition reused as the configurable default (RULES §1.4, UNCONFIRMED for 科小)."""
    return ratio(rd_expense, revenue)


def rd_cost_ratio(rd_expense: Decimal | None, total_costs: Decimal | None) -> Fraction | None:
    """研发费用总额 ÷ 成本费用支出总额 (115号 研发投入指标 (b))."""
    return ratio(rd_expense, total_costs)


def class1_ip(invention_patents: int | None, other_class1_ip: int | None) -> int:
    """Ⅰ类知识产权: 发明专利(含国防专利)、植物新品种、国家级农作物品种、国家新药、国家一级中药保护品种、
    集成电路布图设计专有权 (高企 guide; shared by the 科小 annex). Unreported counts count as 0."""
    return (invention_patents or 0) + (other_class1_ip or 0)


def class2_ip(utility_patents: int | None, design_patents: int | None, software_copyrights: int | None) -> int:
    """Ⅱ类知识产权: 实用新型专利、外观设计专利、软件著作权 (不含商标). Unreported counts count as 0."""
    return (utility_patents or 0) + (design_patents or 0) + (software_copyrights or 0)


def rd_ratio_over_years(rd: list[Decimal | None], sales: list[Decimal | None]) -> Fraction | None:
    """近三个会计年度研发费用总额 ÷ 同期销售收入总额 (32号 第十一条(五)), over the years the firm has
    reported (fewer than three when it has operated less); a year lacking either figure is left out
    of both sums."""
    pairs = [(r, s) for r, s in zip(rd, sales, strict=True) if r is not None and s is not None]
    if not pairs:
        return None
    return ratio(sum(r for r, _ in pairs), sum(s for _, s in pairs))


def rd_threshold_by_sales(latest_sales: Decimal) -> Fraction:
    """The R&D-intensity floor chosen by the latest year's sales (32号 第十一条(五)): ≤5000万 (含) 5%,
    ≤2亿 (含) 4%, above 3%. Kept here as reference; rule sets carry it as data tiers."""
    if latest_sales <= 5000:
        return Fraction(5, 100)
    if latest_sales <= 20000:
        return Fraction(4, 100)
    return Fraction(3, 100)


def growth_rate(v1: Number | None, v2: Number | None, v3: Number | None, short_history: str = "ratio") -> Fraction | None:
    """高企 净资产增长率 / 销售收入增长率 (国科发火〔2016〕195号 企业成长性):
    ½ × (V2 ÷ V1 + V3 ÷ V2) − 1 over three year-end values.

    - V1 = 0: 按后两年计算, g = V3 ÷ V2 − 1;
    - V2 = 0: 按0分计算 (None, scores 0);
    - V1 missing (operated two years): g = V3 ÷ V2 − 1 when `short_history` is "ratio", else None
      (UNCONFIRMED, configurable);
    - a negative V1 or V2 (negative net assets): None, for manual review (UNCONFIRMED).
    """
    if v2 is None or v3 is None or v2 == 0:
        return None
    if v1 is None:
        return _f(v3) / _f(v2) - 1 if short_history == "ratio" and v2 > 0 else None
    if v1 < 0 or v2 < 0:
        return None
    if v1 == 0:
        return _f(v3) / _f(v2) - 1
    return (_f(v2) / _f(v1) + _f(v3) / _f(v2)) / 2 - 1


def growth_needs_review(v1: Number | None, v2: Number | None, v3: Number | None) -> bool:
    """The cases the 指引 does not state (negative values, fewer than three years): flag them."""
    return v2 is not None and v3 is not None and (v1 is None or v1 < 0 or v2 < 0)


def simple_growth(previous: Number | None, current: Number | None) -> Fraction | None:
    """Year-on-year growth current ÷ previous − 1 (上年度主营业务收入增长率); None if the base is not positive."""
    r = ratio(current, previous)
    return None if r is None else r - 1


def average_growth(v1: Number | None, v2: Number | None, v3: Number | None) -> Fraction | None:
    """近2年平均增长率 as the mean of the two yearly rates, ½ × (V2 ÷ V1 + V3 ÷ V2) − 1 (专精特新
    专业化指标); None if V1 or V2 is not positive."""
    if None in (v1, v2, v3) or v1 <= 0 or v2 <= 0:
        return None
    return (_f(v2) / _f(v1) + _f(v3) / _f(v2)) / 2 - 1


def growth_multiple(start: Number | None, end: Number | None) -> Fraction | None:
    """end ÷ start, the quantity behind a compound annual growth rate: CAGR over n years ≥ t exactly
    when the multiple ≥ (1 + t)^n, so thresholds compare without roots. None if start ≤ 0."""
    return ratio(end, start)


def cagr_display(multiple: Fraction | None, years: int) -> Decimal | None:
    """The CAGR (multiple^(1/n) − 1) for display only; comparisons use the exact multiple."""
    if multiple is None or multiple < 0:
        return None
    root = (Decimal(multiple.numerator) / Decimal(multiple.denominator)) ** (Decimal(1) / years)
    return root - 1


def debt_ratio(total_assets: Decimal | None, net_assets: Decimal | None) -> Fraction | None:
    """资产负债率 = 负债总额 ÷ 资产总额, with 负债 = 资产总额 − 净资产 (所有者权益)."""
    if total_assets is None or net_assets is None:
        return None
    return ratio(total_assets - net_assets, total_assets)


def registered_days(established: datetime.date | None, as_of: datetime.date) -> int | None:
    """Calendar days from registration to the reference date (高企: 注册成立一年以上 read as ≥365 days)."""
    return None if established is None else (as_of - established).days


def registered_years(established: datetime.date | None, as_of: datetime.date) -> Fraction | None:
    """Years since registration in 365-day years (days ÷ 365), so "≥ 1 year" is "≥ 365 days"."""
    days = registered_days(established, as_of)
    return None if days is None else Fraction(days, 365)


def per_year(total: int | None, years: int) -> Fraction | None:
    """A three-year count as a yearly average (高企 科技成果转化能力: 近3年年均转化数); the divisor for
    firms younger than three years is UNCONFIRMED and chosen by the rule set."""
    return None if total is None else Fraction(total, max(years, 1))
