"""Why a result is what it is, in one place, so the enterprise page, self-evaluation, pools and
exports say the same thing: the conditions not met (the words of the table's rows), the undecided
ones, and — when the enterprise holds the qualification the rules lead to — why a current
registration and today's evaluation can differ."""

import datetime

from django.utils.translation import gettext as _

from peiyu.enterprises.models import Qualification
from peiyu.evaluation.results import Message, Result
from peiyu.evaluation.rules import common


def reasons(result: Result) -> list[str]:
    """Why the result is not (or not surely) a pass: the failed conditions, then the undecided ones."""
    if result.eligible is True:
        return []
    return [m.message for m in result.failed] + [m.message for m in result.pending]


def summary(result: Result) -> str:
    """One line for lists and exports: the outcome and its reasons ("不符合：…；…")."""
    if result.eligible is True:
        return _("Qualifies")
    outcome = _("Does not qualify") if result.eligible is False else _("Depends on expert scores")
    why = "；".join(reasons(result))
    return f"{outcome}：{why}" if why else outcome


def holding(enterprise, family: str, on: datetime.date) -> Qualification | None:
    """The qualification of this family the enterprise holds on a day (the latest granted), if any."""
    if not family:
        return None
    return (Qualification.objects.filter(enterprise=enterprise, kind=family).current(on)
            .order_by("-granted_on", "-pk").first())


def holding_note(result: Result, held: Qualification | None) -> Message | None:
    """A held qualification beside a result that does not confirm it: say why both can be true."""
    if held is None or result.eligible is True:
        return None
    texts = common()["messages"]
    until = texts["holding_until"].format(date=held.valid_until.isoformat()) if held.valid_until else ""
    return Message("holding", texts["holding"].format(
        kind=held.get_kind_display(), number=held.number or "—", until=until, year=result.year))
