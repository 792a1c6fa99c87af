"""What an import knows about stored data: the units in scope, stored enterprises and years read
with plain SQL, and the snapshots its history records are built from."""

import decimal
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from peiyu.core.choices import Role
from peiyu.core.models import Unit
from peiyu.core.spreadsheets.units import FLOAT_EXACT, wan
from peiyu.enterprises import choices
from peiyu.enterprises.import_columns import MONEY_FIELDS, YEAR_FIELDS, display_choice
from peiyu.enterprises.models import Enterprise, EnterpriseYear


class Scope:
    """Which enterprises the import may change and in which units it may place enterprises; the
    user's scoping comes from `writable_by`, the one place it is defined."""

    def __init__(self, user, unit: Unit | None):
        self.user = user
        base = unit if user is None else (None if user.is_superuser else user.unit)
        self.unit_ids = None if base is None else set(Unit.objects.subtree_ids(base))
        self.creates = user is None or user.is_superuser or user.role in {Role.BUREAU, Role.UNIT}

    def may_place(self, unit_id: int | None) -> bool:
        return self.creates and unit_id is not None and (self.unit_ids is None or unit_id in self.unit_ids)

    def writable(self, ids: list[int]) -> set[int]:
        queryset = Enterprise.objects.writable_by(self.user) if self.user is not None else Enterprise.objects.all()
        rows = queryset.filter(pk__in=ids).values_list("pk", "unit_id", "park_id")
        if self.unit_ids is None or self.user is not None:
            return {pk for pk, _u, _p in rows}
        return {pk for pk, unit_id, park_id in rows if unit_id in self.unit_ids or park_id in self.unit_ids}


class UnitIndex:
    """Units by code and by name, for the 所属单位 and 所属园区 columns."""

    def __init__(self):
        self.units = {unit.pk: unit for unit in Unit.objects.all()}
        self.by_key: dict[str, list[Unit]] = {}
        self.found: dict[tuple, tuple[int | None, str]] = {}
        for unit in self.units.values():
            for key in {unit.code.upper(), unit.name}:
                self.by_key.setdefault(key, []).append(unit)

    def find(self, text: str, park: bool = False) -> tuple[int | None, str]:
        """The unit a cell names, or None and why not; remembered, as a file names few units."""
        key = (text, park)
        found = self.found.get(key)
        if found is None:
            found = self.found[key] = self.lookup(text, park)
        return found

    def lookup(self, text: str, park: bool) -> tuple[int | None, str]:
        found = [u for u in self.by_key.get(text, self.by_key.get(text.upper(), [])) if not park or u.kind == "park"]
        if len(found) == 1:
            return found[0].pk, ""
        if found:
            return None, _("names more than one unit; use the unit code")
        return None, _("is not a park known to the platform") if park else _("is not a unit known to the platform")

    def name(self, unit_id) -> str:
        return self.units[unit_id].name if unit_id in self.units else ""


@dataclass
class EnterpriseState:
    """An enterprise as the plan sees it: stored values, then the changes planned so far."""

    uscc: str
    pk: int | None
    values: dict
    deleted: bool = False
    writable: bool = True
    set_by: dict = field(default_factory=dict)  # field → row that planned its value
    changed: set = field(default_factory=set)
    valid: bool = False  # a new enterprise is created only once a valid row names it
    applied: tuple | None = None  # enterprise cells of the last row applied without problems
    origin: tuple | None = None  # (unit, park) as stored before the import

    def placements(self) -> set[tuple]:
        """The (unit, park) pairs this enterprise has had, before and after the import."""
        pairs = {(self.values.get("unit"), self.values.get("park"))}
        if self.origin is not None:
            pairs.add(self.origin)
        return pairs


def to_yuan(value: Decimal | None) -> int | None:
    return None if value is None else int(value.scaleb(4).to_integral_value())


def stored_years_query(connection) -> tuple[str, object]:
    """SELECT of (enterprise_id, year, pk, *YEAR_FIELDS) for enterprises and years given as two
    lists of parameter markers, and the converter its rows need (None when the database gives whole yuan itself).

    PostgreSQL multiplies the exact numeric amounts into whole yuan. SQLite stores amounts as
    REAL or INTEGER; `sqlite_yuan` turns them into the whole yuan Django's converter would give."""
    quote = connection.ops.quote_name
    meta = EnterpriseYear._meta
    selected = []
    for name in ["id", *YEAR_FIELDS]:
        column = quote(meta.get_field(name).column)
        if name in MONEY_FIELDS and connection.vendor == "postgresql":
            column = f"({column} * 10000)::bigint"
        selected.append(column)
    sql = (
        f"SELECT {quote(meta.get_field('enterprise').column)}, {quote(meta.get_field('year').column)}, {', '.join(selected)} "
        f"FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('enterprise').column)} IN (%s) AND {quote(meta.get_field('year').column)} IN (%s)"
    )
    if connection.vendor == "postgresql":
        return sql, None
    money = [position + 1 for position, name in enumerate(YEAR_FIELDS) if name in MONEY_FIELDS]  # after the pk
    context = meta.get_field("revenue").context  # every amount is DecimalField(18, 4)

    def convert(values: list) -> list:
        values = list(values)
        for position in money:
            value = values[position]
            if value is not None:
                values[position] = sqlite_yuan(value, context)
        return values

    return sql, convert


FIFTEEN_DIGITS = decimal.Context(prec=15)


TEN_THOUSANDTH = Decimal("0.0001")


def sqlite_yuan(value, context) -> int:
    """Whole yuan of an amount as SQLite returns it, exactly as `to_yuan` of Django's converter
    (15 significant digits, then four decimals) gives it. A float whose nearest four-decimal
    amount of fewer than 15 digits reads back as the same float is that amount; only other values
    take the Decimal path."""
    if type(value) is int:
        if -10**15 < value < 10**15:
            return value * 10_000
    elif type(value) is float:
        yuan = round(value * 10_000)
        if -10**15 < yuan < 10**15 and yuan / 10_000 == value:
            return yuan
    if isinstance(value, str):
        return to_yuan(Decimal(value).quantize(TEN_THOUSANDTH, context=context))
    return to_yuan(FIFTEEN_DIGITS.create_decimal_from_float(value).quantize(TEN_THOUSANDTH, context=context))


YEAR_SNAPSHOT_FIELDS = ["enterprise_id", "year", *YEAR_FIELDS]


RD_NONE = int(choices.RdInstitutionLevel.NONE)


YEAR_SLOTS = [(name, name in MONEY_FIELDS) for name in YEAR_FIELDS]


def year_snapshot(enterprise_id: int, year: int, figures: dict) -> dict:
    """What `core.history.snapshot` gives for the stored row, built without loading it; its values,
    in YEAR_SNAPSHOT_FIELDS order, are also what is written (amounts as exact decimal text)."""
    data = {"enterprise_id": enterprise_id, "year": year}
    get = figures.get
    for name, is_money in YEAR_SLOTS:
        value = get(name)
        if value is None:
            if name == "rd_institution_level":
                value = RD_NONE
        elif is_money:
            # `wan`, inlined: this runs for every amount of every row written
            value = f"{value / 10_000:.4f}" if -FLOAT_EXACT < value < FLOAT_EXACT else wan(value)
        data[name] = value
    return data


def enterprise_fields(values: dict) -> dict:
    out = {}
    for name, value in values.items():
        if name in ("unit", "park"):
            out[f"{name}_id"] = value
        elif value is not None or name in ("established",):
            out[name] = value
    return out


def qualification_key(enterprise_id, kind, number, granted_on) -> tuple:
    return (enterprise_id, kind, number) if number else (enterprise_id, kind, "", granted_on)


def qualification_repr(state: EnterpriseState, obj) -> str:
    name = state.values["name"]
    return f"{name} {display_choice('kind', obj.kind)}"
