"""The support programmes' arithmetic, as pure functions on Decimals (万元) — RULES.md §8 and §9.

Amounts are exact to the yuan (0.0001 万元). A computed share is rounded DOWN to the yuan: a
subsidy never pays a fraction of a yuan more than the rule allows."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext as _

YUAN = Decimal("0.0001")
ZERO = Decimal(0)


def to_yuan(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(YUAN, rounding=ROUND_DOWN)


def wan(amount: Decimal) -> str:
    """An amount in 万元 for reasoning text: two decimals, or four when it has yuan in it."""
    amount = Decimal(amount)
    text = (
        f"{amount.quantize(Decimal('0.01')):,}"
        if amount == amount.quantize(Decimal("0.01"))
        else f"{amount.quantize(YUAN):,}"
    )
    return _("%(amount)s 10k yuan") % {"amount": text}


def pct(ratio: Decimal) -> str:
    value = (Decimal(ratio) * 100).normalize()
    return f"{value:f}%"


@dataclass(frozen=True)
class VoucherSubsidy:
    amount: Decimal
    by_share: Decimal
    reasons: list[str]
    limited_by: str  # "share", "annual_cap", "face_value" or "per_person"


def voucher_subsidy(
    fee: Decimal,
    share_cap: Decimal,
    remaining_cap: Decimal,
    face_value: Decimal,
    per_person_cap: Decimal | None = None,
    persons: int | None = None,
) -> VoucherSubsidy:
    """min(share cap × fee, remaining annual cap, face value) — and, where the category has one,
    the per-person cap × persons (技术经理人培训: at most 1000 元 per person)."""
    by_share = to_yuan(fee * share_cap)
    candidates = [
        (
            by_share,
            "share",
            _("%(share)s of the fee %(fee)s = %(amount)s")
            % {"share": pct(share_cap), "fee": wan(fee), "amount": wan(by_share)},
        ),
        (
            max(remaining_cap, ZERO),
            "annual_cap",
            _("remaining annual cap %(amount)s") % {"amount": wan(max(remaining_cap, ZERO))},
        ),
        (face_value, "face_value", _("face value %(amount)s") % {"amount": wan(face_value)}),
    ]
    if per_person_cap is not None:
        by_person = per_person_cap * (persons or 0)
        candidates.append(
            (
                by_person,
                "per_person",
                _("%(cap)s per person × %(n)s persons = %(amount)s")
                % {"cap": wan(per_person_cap), "n": persons or 0, "amount": wan(by_person)},
            )
        )
    amount, limited_by, _text = min(candidates, key=lambda c: c[0])
    reasons = [text for _v, _k, text in candidates]
    reasons.append(_("subsidy = the smallest: %(amount)s") % {"amount": wan(amount)})
    return VoucherSubsidy(amount, by_share, reasons, limited_by)


def split(amount: Decimal, provincial_share: Decimal) -> tuple[Decimal, Decimal]:
    """The provincial and local parts of a subsidy; the provincial part is rounded down to the yuan
    and the local part is the rest, so the parts always add up."""
    provincial = to_yuan(amount * provincial_share)
    return provincial, amount - provincial


# — commissioners ————————————————————————————————————————————————————————————————————


@dataclass(frozen=True)
class Member:
    rank: str
    level: str
    outside_province: bool


def team_problems(members: list[Member], leader: Member | None, scheme) -> list[str]:
    """What a team breaks of the scheme's composition rules (云科规〔2023〕8号 by default): size,
    leader's rank, share of city and county staff, county staff alone, members from outside the
    province (at most a share, and 正高 only). Shares are compared exactly."""
    problems = []
    n = len(members)
    if n < scheme.min_team_size:
        problems.append(
            _("%(n)s members; at least %(min)s are required") % {"n": n, "min": scheme.min_team_size}
        )
    if leader is None:
        problems.append(_("the team has no leader"))
    elif leader.rank != scheme.leader_rank:
        problems.append(_("the leader's rank must be %(rank)s") % {"rank": _rank_label(scheme.leader_rank)})
    if n:
        local = sum(1 for m in members if m.level in ("city", "county"))
        county = sum(1 for m in members if m.level == "county")
        outside = [m for m in members if m.outside_province]
        if Decimal(local) < scheme.min_local_share * n:
            problems.append(
                _("city and county members are %(k)s of %(n)s; at least %(share)s are required")
                % {"k": local, "n": n, "share": pct(scheme.min_local_share)}
            )
        if Decimal(county) < scheme.min_county_share * n:
            problems.append(
                _("county members are %(k)s of %(n)s; at least %(share)s are required")
                % {"k": county, "n": n, "share": pct(scheme.min_county_share)}
            )
        if Decimal(len(outside)) > scheme.max_outside_share * n:
            problems.append(
                _("members from outside the province are %(k)s of %(n)s; at most %(share)s are allowed")
                % {"k": len(outside), "n": n, "share": pct(scheme.max_outside_share)}
            )
        if any(m.rank != "full_senior" for m in outside):
            problems.append(_("members from outside the province must hold a full senior title"))
    return problems


def _rank_label(rank: str) -> str:
    from peiyu.support.choices import TitleRank

    return str(TitleRank(rank).label)


def service_time_met(days: Decimal, min_days: Decimal) -> bool:
    """The annual service-time check: at least the scheme's days (60 = 2 months by default)."""
    return Decimal(days) >= Decimal(min_days)


def assessment_points(
    items, outcome_counts: dict[str, int], trained: int
) -> tuple[Decimal, list[tuple[str, Decimal]]]:
    """Points of the annual assessment from the checklist: per outcome (each or once) and for
    training person-times reaching a threshold."""
    lines = []
    for item in items:
        if item.min_trained is not None:
            got = item.points if trained >= item.min_trained else ZERO
        elif item.outcome_kind:
            n = outcome_counts.get(item.outcome_kind, 0)
            got = item.points * n if item.per_item else (item.points if n else ZERO)
        else:
            got = ZERO
        lines.append((item.label, Decimal(got).quantize(Decimal("0.1"))))
    return sum((p for _l, p in lines), ZERO), lines


def grade(points: Decimal, scheme) -> str:
    if points >= scheme.excellent_points:
        return _("Excellent")
    if points >= scheme.pass_points:
        return _("Pass")
    return _("Fail")
