"""`peiyu project_draw CALL_ID [--group G] [--size 7] [--seed S] [--min-finance 1] [--max-same-employer 1]`:
draw experts for one review group of a call, or for every group not drawn yet, and print who was drawn
and who was avoided. The same seed gives the same draw."""

import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peiyu.core.history import acting_as
from peiyu.core.models import User
from peiyu.projects import services
from peiyu.projects.models import Call, Expert


class Command(BaseCommand):
    help = "Draw reviewers for a call's review groups, with automatic conflict avoidance."

    def add_arguments(self, parser):
        parser.add_argument("call", type=int)
        parser.add_argument("--group", default="")
        parser.add_argument("--size", type=int, default=7)
        parser.add_argument("--seed", type=int)
        parser.add_argument("--min-finance", type=int, default=1)
        parser.add_argument("--max-same-employer", type=int, default=1)
        parser.add_argument("--user", help="bureau user the draw is recorded for")

    def handle(self, *args, **o):
        call = Call.objects.filter(pk=o["call"]).first()
        if call is None:
            raise CommandError(f"没有编号为 {o['call']} 的申报指南")
        user = User.objects.filter(username=o["user"]).first() if o["user"] else None
        seed = o["seed"] if o["seed"] is not None else secrets.randbelow(10**9)
        constraints = {"min_fields": {"F": o["min_finance"]}, "max_same_employer": o["max_same_employer"]}
        try:
            with acting_as(user):
                if o["group"]:
                    records = [services.run_draw(call, o["group"], o["size"], seed, constraints, user)]
                else:
                    records = services.run_all_draws(call, o["size"], seed, constraints, user)
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from None
        names = dict(Expert.objects.values_list("pk", "name"))
        for record in records:
            drawn = "、".join(m.expert.name for m in record.members.select_related("expert"))
            self.stdout.write(f"{record.group}（种子 {record.seed}）：{drawn}")
            for x in record.excluded:
                reason = services.avoidance_reason(x["reason"])
                self.stdout.write(
                    f"  回避 {names.get(x['expert'], x['expert'])}：{reason}（{x.get('applicant', '')}）"
                )
        if not records:
            self.stdout.write("没有需要抽取的评审组")
