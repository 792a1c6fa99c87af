"""The random draw of experts (专家随机抽取), as a pure function over plain data so that it is
testable, reproducible from its seed and fast enough for thousands of applications.

An expert conflicts with a group when any of their ties — employer, declared affiliations (former
employers only within the avoidance period), enterprises they reviewed last round — matches an
applicant by name, credit code or enterprise id. Keys are normalised text, so "华东科技 有限公司"
and "华东科技（有限公司）" match."""

import random
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

_SPACES = re.compile(r"\s+")
_PARENS = str.maketrans({"（": "(", "）": ")"})


def norm(name: str) -> str:
    return _SPACES.sub("", (name or "").translate(_PARENS)).lower()


def name_key(name: str) -> str:
    return "n:" + norm(name)


def code_key(uscc: str) -> str:
    return "c:" + uscc.strip().upper()


def enterprise_key(pk: int) -> str:
    return f"e:{pk}"


@dataclass(frozen=True)
class Candidate:
    """An expert as the draw sees them: id, field, employer and the keys of every tie (with why)."""

    id: int
    field: str
    employer: str
    ties: dict = field(default_factory=dict)  # key -> reason code (see services.AVOIDANCE_REASONS)


@dataclass(frozen=True)
class Applicant:
    enterprise_id: int
    name: str
    uscc: str = ""

    @property
    def keys(self) -> set[str]:
        keys = {enterprise_key(self.enterprise_id), name_key(self.name)}
        if self.uscc:
            keys.add(code_key(self.uscc))
        return keys


@dataclass
class Outcome:
    chosen: list[Candidate]
    avoided: dict[int, tuple[str, str]]  # expert id -> (reason code, applicant's name)


class DrawError(ValueError):
    """Not enough experts to meet the constraints; the message says which."""


def conflicts(candidates: list[Candidate], applicants: list[Applicant]) -> dict[int, tuple[str, str]]:
    """Experts who may not review this group, with the first matching reason."""
    keys: dict[str, str] = {}
    for a in applicants:
        for k in a.keys:
            keys.setdefault(k, a.name)
    avoided = {}
    for c in candidates:
        for key, why in c.ties.items():
            if key in keys:
                avoided[c.id] = (why, keys[key])
                break
    return avoided


def _fits(c: Candidate, employers: Counter, max_same_employer: int | None) -> bool:
    return not max_same_employer or employers[norm(c.employer)] < max_same_employer


def pick(
    pool: list[Candidate],
    size: int,
    min_fields: dict[str, int],
    max_same_employer: int | None,
    taken: list[Candidate] = (),
) -> list[Candidate]:
    """Greedy choice in pool order: first the experts each minimum needs, then anyone, never more than
    `max_same_employer` from one employer. `taken` are members already chosen (for replacements)."""
    chosen = list(taken)
    employers = Counter(norm(c.employer) for c in chosen)
    have = Counter(c.field for c in chosen)
    chosen_ids = {c.id for c in chosen}
    for fld, minimum in sorted(min_fields.items()):
        for c in pool:
            if have[fld] >= minimum or len(chosen) >= size:
                break
            if c.field == fld and c.id not in chosen_ids and _fits(c, employers, max_same_employer):
                chosen.append(c)
                chosen_ids.add(c.id)
                employers[norm(c.employer)] += 1
                have[fld] += 1
    short = {f: m - have[f] for f, m in min_fields.items() if have[f] < m}
    if short:
        raise DrawError(
            _("Not enough experts without conflicts in field %(fields)s to meet the minimum.")
            % {"fields": "、".join(sorted(short))}
        )
    for c in pool:
        if len(chosen) >= size:
            break
        if c.id not in chosen_ids and _fits(c, employers, max_same_employer):
            chosen.append(c)
            chosen_ids.add(c.id)
            employers[norm(c.employer)] += 1
    if len(chosen) < size:
        raise DrawError(
            _(
                "Only %(n)s experts are available without conflicts under these constraints; %(size)s are needed."
            )
            % {"n": len(chosen), "size": size}
        )
    return chosen[len(taken) :]


def shuffled(candidates: list[Candidate], seed: int) -> list[Candidate]:
    """The candidates in the order the seed gives: sorted by id first, so the order does not depend
    on how the database returned them."""
    pool = sorted(candidates, key=lambda c: c.id)
    random.Random(seed).shuffle(pool)
    return pool


def draw(
    candidates: list[Candidate],
    applicants: list[Applicant],
    size: int,
    seed: int,
    min_fields: dict[str, int] | None = None,
    max_same_employer: int | None = 1,
    fields: set[str] | None = None,
) -> Outcome:
    """Draw `size` experts for a group: avoid conflicts, honour the constraints, same seed → same result."""
    avoided = conflicts(candidates, applicants)
    pool = [
        c
        for c in shuffled(candidates, seed)
        if c.id not in avoided and (not fields or c.field in fields or c.field in (min_fields or {}))
    ]
    return Outcome(pick(pool, size, min_fields or {}, max_same_employer), avoided)


def replacement(
    candidates: list[Candidate],
    applicants: list[Applicant],
    seed: int,
    members: list[Candidate],
    active: list[Candidate],
    min_fields: dict[str, int] | None = None,
    max_same_employer: int | None = 1,
    fields: set[str] | None = None,
) -> Candidate:
    """The next expert for a declined one: the first in the seed's order not drawn before (declined or
    not) who keeps the constraints with the members still active."""
    avoided = conflicts(candidates, applicants)
    drawn = {c.id for c in members}
    pool = [
        c
        for c in shuffled(candidates, seed)
        if c.id not in avoided
        and c.id not in drawn
        and (not fields or c.field in fields or c.field in (min_fields or {}))
    ]
    return pick(pool, len(active) + 1, min_fields or {}, max_same_employer, taken=active)[0]
