"""The services demo on a small district: quotas met in some months and missed in others, the ten
policies with conditions, the board with matches."""

import datetime
from decimal import Decimal

from peiyu.core.testing import make_enterprise, make_year
from peiyu.services import demo, matching, progress
from peiyu.services.models import Introduction, Policy, Quota, TechPost


def test_demo_loads_a_year_with_quotas_met_and_missed(units, users, enterprises):
    for i in range(30):
        e = make_enterprise(units["town_a" if i % 2 else "town_b"], f"演示企业{i}")
        make_year(
            e,
            demo.YEAR,
            revenue=Decimal(400 + 100 * i),
            rd_expense=Decimal(5 * i),
            total_costs=Decimal(300 + 90 * i),
        )
    demo.load()
    events = Quota.objects.get(measure="events", period="month")
    states = {c.state for c in progress.quota_progress(events, today=datetime.date(2026, 1, 1))}
    assert states == {"met", "missed"}
    assert (
        Policy.objects.published().count() == 10
        and Policy.objects.filter(conditions__isnull=True).count() == 0
    )
    assert Introduction.objects.filter(status="signed").count() == 2
    demand = TechPost.objects.filter(side="demand").order_by("pk").first()
    best = matching.matches_for(demand, TechPost.objects.filter(side="supply"))[0]
    assert best.post.title == "机器视觉表面缺陷检测系统"
