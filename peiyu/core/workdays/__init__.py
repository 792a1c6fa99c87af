"""Chinese working days: statutory holidays and make-up working days from the `chinesecalendar`
package, overridden by the days the bureau declares (DeclaredDay). Deadlines in 工作日 count here.

`add_working_days(start, n)` is the n-th working day after `start`; `working_days_between(start,
end)` counts the working days after `start` up to and including `end`, so the two agree:
`working_days_between(d, add_working_days(d, n)) == n`.
"""

from peiyu.core.workdays.calendar import add_working_days, is_working_day, working_days_between
from peiyu.core.workdays.periods import Period, PeriodKind

__all__ = ["Period", "PeriodKind", "add_working_days", "is_working_day", "working_days_between"]
