"""Statistics per lead department for the year-end assessment: items, closed, closed on time,
overdue, and the average delay in calendar days of the items that ran late (closed after their
deadline, or still open past it)."""

from dataclasses import dataclass

from django.db.models import Count, F, Q

from peiyu.ledger.choices import ItemState
from peiyu.ledger.models import today


@dataclass
class DepartmentRow:
    department: str
    items: int = 0
    dated: int = 0
    long_term: int = 0
    done: int = 0
    done_on_time: int = 0
    overdue: int = 0
    requested: int = 0
    late_days: int = 0
    late_items: int = 0

    @property
    def average_delay(self):
        return round(self.late_days / self.late_items, 1) if self.late_items else None

    @property
    def on_time_rate(self):
        """Closed on time ÷ items with a deadline, in %."""
        return round(self.done_on_time * 100 / self.dated, 1) if self.dated else None


def department_stats(items, on=None) -> list[DepartmentRow]:
    """One grouped query for the counts and one over the late items only for the delays."""
    on = on or today()
    open_ = ~Q(state=ItemState.DONE)
    counts = (
        items.order_by()
        .values("lead_department_name")
        .annotate(
            n_items=Count("pk"),
            n_long_term=Count("pk", filter=Q(long_term=True)),
            n_done=Count("pk", filter=Q(state=ItemState.DONE)),
            n_done_on_time=Count(
                "pk", filter=Q(state=ItemState.DONE, long_term=False, done_on__lte=F("deadline"))
            ),
            n_overdue=Count("pk", filter=open_ & Q(long_term=False, deadline__lt=on)),
            n_requested=Count("pk", filter=Q(state=ItemState.REQUESTED)),
        )
    )
    rows = {}
    for c in counts:
        name = c.pop("lead_department_name")
        values = {key[2:]: value for key, value in c.items()}
        rows[name] = DepartmentRow(name, dated=values["items"] - values["long_term"], **values)
    late = (
        items.order_by()
        .filter(long_term=False)
        .filter(Q(state=ItemState.DONE, done_on__gt=F("deadline")) | (open_ & Q(deadline__lt=on)))
        .values_list("lead_department_name", "deadline", "done_on")
    )
    for name, deadline, done_on in late:
        row = rows[name]
        row.late_items += 1
        row.late_days += ((done_on or on) - deadline).days
    return sorted(rows.values(), key=lambda r: (-r.items, r.department))


def totals(rows: list[DepartmentRow]) -> DepartmentRow:
    total = DepartmentRow("")
    for r in rows:
        for name in (
            "items",
            "dated",
            "long_term",
            "done",
            "done_on_time",
            "overdue",
            "requested",
            "late_days",
            "late_items",
        ):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    return total
