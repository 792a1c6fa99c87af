"""peiyu targets progress --plan CODE [--unit CODE] [--as-of DATE] [--format json|xlsx] [--output FILE]
peiyu targets snapshot --period 2025-Q3 [--retake --user NAME]"""

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from peiyu.core.history import acting_as
from peiyu.core.periods import Period


class Command(BaseCommand):
    help = "Progress of a plan's targets, and snapshots of a month or quarter."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        progress = sub.add_parser("progress", help="progress of every target of a plan")
        progress.add_argument("--plan", required=True, help="plan code")
        progress.add_argument("--unit", help="unit code (that unit's targets only)")
        progress.add_argument("--as-of", help="date YYYY-MM-DD (default: today, or the plan's end)")
        progress.add_argument("--format", choices=["json", "xlsx"], default="json")
        progress.add_argument("--output", help="file to write (xlsx: required)")
        progress.add_argument("--forecast", action="store_true", help="add the year-end forecast (json)")
        snapshot = sub.add_parser("snapshot", help="freeze progress at a month or quarter end")
        snapshot.add_argument("--period", required=True, help="2025-Q3 or 2025-09")
        snapshot.add_argument(
            "--retake", action="store_true", help="replace existing snapshots (bureau staff)"
        )
        snapshot.add_argument("--user", help="the bureau user re-taking them (recorded in history)")

    def handle(self, *args, **options):
        return getattr(self, options["action"])(options)

    def progress(self, options):
        from peiyu.targets import exports, services
        from peiyu.targets.models import Plan, Target
        from peiyu.targets.progress import progress_of

        plan = Plan.objects.filter(code=options["plan"]).first()
        if plan is None:
            raise CommandError(f"没有编号为 {options['plan']} 的规划")
        try:
            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else dt.date.today()
        except ValueError:
            raise CommandError(f"日期 {options['as_of']} 无效，应为 YYYY-MM-DD") from None
        as_of = min(as_of, plan.period.end)
        targets = (
            Target.objects.filter(plan=plan)
            .select_related("indicator", "unit", "plan")
            .order_by("indicator__code", "unit__path")
        )
        if options["unit"]:
            targets = targets.filter(unit__code=options["unit"])
            if not targets.exists():
                raise CommandError(f"单位 {options['unit']} 在该规划中没有目标")
        progress = progress_of(targets, as_of)
        if options["format"] == "xlsx":
            if not options["output"]:
                raise CommandError("--format xlsx 需要 --output 文件名")
            with open(options["output"], "wb") as out:
                out.write(exports.progress_xlsx(plan, progress, as_of))
            self.stdout.write(f"{len(progress)} 个目标已写入 {options['output']}")
            return
        rows = []
        for p in progress:
            t = p.target
            row = {
                "indicator": t.indicator.code,
                "indicator_name": t.indicator.name,
                "measure": t.indicator.unit,
                "unit": t.unit.code,
                "unit_name": t.unit.name,
                "period": t.period.code,
                "floor": str(t.floor),
                "stretch": None if t.stretch is None else str(t.stretch),
                "actual": None if p.actual is None else str(p.actual),
                "completion": None if p.completion is None else str(p.completion),
                "elapsed": str(p.elapsed),
                "gap": None if p.gap is None else str(p.gap),
                "light": p.light,
            }
            if options["forecast"]:
                f = services.forecast_for(t, as_of)
                row["forecast"] = (
                    None
                    if f is None
                    else {"value": str(f.value), "low": str(f.low), "high": str(f.high), "p_floor": f.p_floor}
                )
            rows.append(row)
        text = json.dumps(
            {"plan": plan.code, "as_of": as_of.isoformat(), "targets": rows}, ensure_ascii=False, indent=1
        )
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                out.write(text)
        else:
            sys.stdout.write(text + "\n")

    def snapshot(self, options):
        from django.core.exceptions import PermissionDenied

        from peiyu.core.models import User
        from peiyu.targets import services

        try:
            period = Period.parse(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if period.kind not in ("month", "quarter"):
            raise CommandError("快照按月或按季度：例如 2025-09 或 2025-Q3")
        user = None
        if options["retake"]:
            user = User.objects.filter(username=options["user"] or "").first()
            if user is None:
                raise CommandError("重新生成快照须以 --user 指明局科室用户")
        try:
            with acting_as(user):
                taken, kept = services.take_snapshots(period, user, retake=options["retake"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{period.label}：新生成 {taken} 个快照，保留已有 {kept} 个")
