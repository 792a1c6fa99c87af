"""Demo data of the projects app, on top of the demo district (deterministic: fixed seeds).

- 科技型中小企业技术创新资金 (seed 001: grants and loan-interest subsidies for growing firms): the
  2025 call is closed and done — applications through unit and formal check (one returned and
  resubmitted, one failed), two review groups drawn with avoidance, scores, the decision within the
  budget, publicity, approval, task books and first tranches; one project's mid-term report is overdue.
- 科技小巨人培育 2026: in expert review — the `expert` account (周立新) has applications to declare and score.
- 天使资金 2026 (start-ups only) and 揭榜挂帅 2026 (a posted challenge): open, so the `enterprise`
  account sees one call it may apply to and one it may not, with the reason.
- The expert library: 40 experts, some with affiliations to applicants that the draw avoids.
- The project library: national and city projects of 2024–2026 for seed 000's "20 项" target."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from peiyu.core.choices import Role
from peiyu.core.history import acting_as
from peiyu.core.models import Unit, User
from peiyu.enterprises.models import Enterprise
from peiyu.projects import draw as drawing
from peiyu.projects import services
from peiyu.projects.choices import (
    AffiliationKind,
    AppState,
    FundingMode,
    ProgrammeKind,
    ProjectLevel,
    ProjectState,
    ReserveStatus,
)
from peiyu.projects.models import (
    Affiliation,
    Application,
    Call,
    Expert,
    Programme,
    ReserveProject,
    Review,
    Tranche,
)

SEED = 2011
D = Decimal

EMPLOYERS = [
    "天津大学",
    "南开大学",
    "河北工业大学",
    "天津理工大学",
    "天津科技大学",
    "天津工业大学",
    "中国民航大学",
    "天津师范大学",
    "天津市科学技术研究院",
    "中汽研（天津）汽车工程研究院",
    "天津市生产力促进中心",
    "天津医科大学",
]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = [
    "建华",
    "晓明",
    "丽华",
    "志强",
    "海涛",
    "文静",
    "国庆",
    "秀英",
    "立军",
    "春梅",
    "振宇",
    "宏伟",
    "雪梅",
    "德明",
    "玉兰",
    "卫东",
]
TITLES = ["教授", "研究员", "正高级工程师", "高级工程师", "副教授", "高级会计师"]
SUBFIELDS = {
    "1": "软件与集成电路",
    "2": "医疗器械",
    "3": "航空材料",
    "4": "高分子材料",
    "5": "检验检测服务",
    "6": "储能与光伏",
    "7": "水污染治理",
    "8": "工业机器人",
    "F": "财务审计",
    "M": "企业管理",
}
FIELDS = ["1", "1", "2", "3", "4", "4", "5", "6", "7", "8", "8", "8", "F", "F", "M"]


def load() -> None:
    rng = random.Random(SEED)
    district = Unit.objects.filter(code="120110").first() or Unit.objects.filter(parent__isnull=True).first()
    bureau = User.objects.filter(username="bureau").first() or User.objects.filter(role=Role.BUREAU).first()
    if district is None or bureau is None:
        return
    firms = list(Enterprise.objects.filter(years__year=2024).select_related("unit").order_by("pk").distinct())
    if len(firms) < 60:
        return
    mine = Enterprise.objects.filter(accounts__username="enterprise").first()
    pool = [f for f in firms if f != mine]
    with acting_as(bureau):
        experts = make_experts(rng, district, pool)
        fund, angel, giant, challenge = make_programmes(district)
        closed_call(rng, fund, pool, mine, bureau)
        review_call(rng, giant, firms, bureau)
        open_calls(angel, challenge, pool)
        reserve(rng, firms, mine)
    return experts


def make_experts(rng, district, firms) -> list[Expert]:
    account = User.objects.filter(username="expert").first()
    experts = []
    for i in range(40):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        field = FIELDS[i % len(FIELDS)]
        employer = "天津财经大学" if field == "F" and i % 2 else EMPLOYERS[(i * 5) % len(EMPLOYERS)]
        experts.append(
            Expert(
                unit=district,
                name=name,
                field=field,
                subfield=SUBFIELDS[field],
                title=TITLES[i % len(TITLES)],
                employer=employer,
                phone=f"139{20260000 + i * 37:08d}",
                available=i != 39,
            )
        )
    experts[0].name, experts[0].user, experts[0].field, experts[0].subfield = (
        "周立新",
        account,
        "8",
        SUBFIELDS["8"],
    )
    for e in experts:
        e.save()
    # Ties to applicants the draw must avoid: an employee, a shareholder, a family member, a recent former employee.
    # (The 2025 call's applicants are firms 0, 3, 6, … of the list.)
    ties = [
        (1, AffiliationKind.EMPLOYER, firms[3]),
        (2, AffiliationKind.SHAREHOLDING, firms[6]),
        (3, AffiliationKind.FAMILY, firms[9]),
        (4, AffiliationKind.FORMER_EMPLOYER, firms[12]),
        (5, AffiliationKind.FORMER_EMPLOYER, firms[15]),
    ]
    for idx, kind, firm in ties:
        ended = (
            datetime.date(2024, 6, 30) if idx == 4 else (datetime.date(2019, 12, 31) if idx == 5 else None)
        )
        Affiliation.objects.create(
            expert=experts[idx], kind=kind, organisation=firm.name, uscc=firm.uscc, ended_on=ended
        )
    experts[1].employer = firms[3].name
    experts[1].save()
    return experts


def make_programmes(district):
    def programme(name, kind, mode, text):
        return Programme.objects.create(
            name=name, kind=kind, funding_mode=mode, unit=district, description=text
        )

    return (
        programme(
            "科技型中小企业技术创新资金",
            ProgrammeKind.INNOVATION_FUND,
            FundingMode.GRANT,
            "以无偿资助、贷款贴息等方式，重点支持具有一定规模和良好成长性的科技型中小企业（《东丽区科技小巨人成长计划》）。",
        ),
        programme(
            "天使资金",
            ProgrammeKind.ANGEL,
            FundingMode.GRANT,
            "以无偿资助为主，帮助初创期科技型中小企业提高生存能力，实现快速成长。",
        ),
        programme(
            "科技小巨人培育",
            ProgrammeKind.LITTLE_GIANT,
            FundingMode.AWARD,
            "支持处于成长壮大期、拥有自主知识产权的企业进行重大技术创新和成果转化。",
        ),
        programme(
            "揭榜挂帅",
            ProgrammeKind.OPEN_CHALLENGE,
            FundingMode.GRANT,
            "围绕主导产业技术难题公开张榜，择优遴选揭榜单位。",
        ),
    )


def aware(y, m, d, hh=17, mm=0):
    return timezone.make_aware(datetime.datetime(y, m, d, hh, mm))


def applications(rng, call, firms, n, offset, state, groups=None):
    apps = []
    for i in range(n):
        firm = firms[offset + i * 3]
        field = ["1", "8", "4", "2", "6"][i % 5]
        investment = D(rng.choice([300, 400, 500, 600, 800, 1000]))
        requested = min(
            call.funding_cap or investment, (investment * (call.funding_ratio or 100) / 100)
        ).quantize(D("1"))
        apps.append(
            Application.objects.create(
                call=call,
                enterprise=firm,
                title=f"{firm.name.removesuffix('有限公司')}{['智能检测系统', '工业控制软件', '新型复合材料', '医用传感器', '储能控制装置'][i % 5]}研发及产业化",
                field=field,
                total_investment=investment,
                requested_amount=requested,
                state=state,
                review_group=(groups or {}).get(field, ""),
                submitted_at=call.closes_at - datetime.timedelta(days=3 + i % 9),
                answers={
                    "summary": "项目围绕企业主导产品开展关键技术攻关。",
                    "innovation": "核心算法与工艺自主可控。",
                    "plan": "第一年完成样机，第二年实现量产。",
                    "team_size": str(8 + i % 12),
                    "self_funding": str(investment - requested),
                },
            )
        )
    return apps


def score(rng, call, apps, spread_app=None):
    changed = []
    for app in apps:
        quality = rng.uniform(0.62, 0.93)
        for n, review in enumerate(app.reviews.select_related("expert").order_by("pk")):
            review.declared_at = call.review_on and aware(
                call.review_on.year, call.review_on.month, call.review_on.day, 9
            )
            if app == spread_app and n % 2:
                factor = quality - 0.35
            else:
                factor = quality + rng.uniform(-0.06, 0.06)
            review.scores = {
                c["code"]: str((D(str(c["max"])) * D(str(max(0.3, min(factor, 1))))).quantize(D("0.5")))
                for c in call.criteria()
            }
            review.total = sum(D(v) for v in review.scores.values())
            review.comment = "技术路线清晰，建议支持。" if factor > 0.75 else "创新性一般，预算需细化。"
            review.submitted_at = review.declared_at
            changed.append(review)
    Review.objects.bulk_update(changed, ["declared_at", "scores", "total", "comment", "submitted_at"])
    for app in apps:
        services.rescore(app)


def closed_call(rng, fund, pool, mine, bureau):
    call = Call.objects.create(
        programme=fund,
        year=2025,
        title="2025年度东丽区科技型中小企业技术创新资金项目申报指南",
        opens_on=datetime.date(2025, 3, 3),
        closes_at=aware(2025, 4, 15),
        unit_check_due=datetime.date(2025, 4, 25),
        review_on=datetime.date(2025, 5, 20),
        publicity_days=5,
        budget=D("800"),
        funding_cap=D("50"),
        funding_ratio=D("30"),
        required_attachments=["营业执照", "上年度财务审计报告", "项目可行性研究报告"],
        eligibility={"qualifications": ["tech_sme"], "no_open_overdue": True},
    )
    groups = {"1": "电子信息组", "2": "先进制造组", "4": "先进制造组", "6": "先进制造组", "8": "先进制造组"}
    apps = applications(rng, call, pool, 24, 0, AppState.ACCEPTED, groups)
    if mine is not None:
        apps[0].enterprise = mine
        apps[0].title = f"{mine.name.removesuffix('有限公司')}智能检测系统研发及产业化"
        apps[0].save()
    # the trail of one returned and resubmitted application, and one that failed the formal check
    others = applications(rng, call, pool, 3, 80, AppState.SUBMITTED)
    town = User.objects.filter(role=Role.UNIT).order_by("pk").first() or bureau
    for step, user, note in [
        ("unit_return", town, "请补充上年度财务审计报告"),
        ("submit", None, ""),
        ("recommend", town, ""),
        ("formal_reject", bureau, "企业不在科技型中小企业评价入库名单内"),
    ]:
        _force(others[0], step, user, note)
    _force(others[1], "withdraw", None, "")
    services.run_draw(
        call, "电子信息组", 5, 20250520, {"min_fields": {"F": 1}, "max_same_employer": 1}, bureau
    )
    services.run_draw(
        call, "先进制造组", 7, 20250521, {"min_fields": {"F": 1}, "max_same_employer": 1}, bureau
    )
    score(rng, call, apps, spread_app=apps[5])
    ranked = services.ranking(call)
    services.decide(call, services.proposal(call, ranked), bureau)
    services.publish(call, datetime.date(2025, 6, 9), bureau)
    call.refresh_from_db()
    from peiyu.projects.models import Objection

    Objection.objects.create(
        call=call,
        application=ranked[1],
        received_on=datetime.date(2025, 6, 11),
        raised_by="匿名来电（已告知需实名）",
        text="反映该企业项目与往年项目重复。",
        handling="经核查，两项目研究内容不同，异议不成立，已电话回复。",
    )
    projects = services.approve(call, bureau, today=datetime.date(2025, 6, 17))
    Call.objects.filter(pk=call.pk).update(
        decided_at=aware(2025, 5, 30, 10), approved_at=aware(2025, 6, 17, 10)
    )
    call.draws.update(created=aware(2025, 5, 19, 9, 30))
    backdate(call.applications.all(), aware(2025, 6, 17, 10))
    for i, p in enumerate(projects):
        p.contract_number = f"DLKJ-2025-{i + 1:03d}"
        p.starts_on, p.ends_on = datetime.date(2025, 7, 1), datetime.date(2027, 6, 30)
        p.targets = "完成样机研制并实现销售；申请发明专利2件；新增销售收入500万元。"
        p.midterm_due, p.acceptance_due = datetime.date(2026, 6, 30), datetime.date(2027, 6, 30)
        p.state = ProjectState.RUNNING
        if i % 4 != 1:  # one in four has not reported its mid-term check: overdue
            p.midterm_done_on, p.midterm_conclusion = datetime.date(2026, 6, 20), "按计划推进，经费使用规范。"
            p.state = ProjectState.MIDTERM_DONE
        p.save()
        first = (p.approved_amount * D("0.6")).quantize(D("0.0001"))
        Tranche.objects.create(
            project=p,
            number=1,
            amount=first,
            planned_on=datetime.date(2025, 7, 15),
            condition="签订任务书后拨付60%",
            paid_on=datetime.date(2025, 7, 15),
        )
        Tranche.objects.create(
            project=p,
            number=2,
            amount=p.approved_amount - first,
            planned_on=datetime.date(2027, 7, 31),
            condition="通过验收后拨付其余40%",
        )


def _force(app, step, user, note):
    """Record a step of the demo's past (before the deadline passed) as the workflow would."""
    from django.contrib.contenttypes.models import ContentType

    from peiyu.core.models import StateTransition
    from peiyu.projects.models import ApplicationWorkflow

    t = ApplicationWorkflow.get(step)
    StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(app),
        object_id=app.pk,
        transition=step,
        from_state=app.state,
        to_state=t.target,
        user=user,
        user_name=user.username if user else app.enterprise.name,
        comment=note,
    )
    app.state = t.target
    app.save()


def backdate(apps, when):
    """The recorded steps of these demo applications happened in the past, not while the demo loads."""
    from django.contrib.contenttypes.models import ContentType

    from peiyu.core.models import StateTransition

    StateTransition.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id__in=[a.pk for a in apps]
    ).update(time=when)


def review_call(rng, giant, firms, bureau):
    today = timezone.localdate()
    call = Call.objects.create(
        programme=giant,
        year=today.year,
        title=f"{today.year}年度科技小巨人培育项目申报指南",
        opens_on=today - datetime.timedelta(days=80),
        closes_at=timezone.now() - datetime.timedelta(days=40),
        unit_check_due=today - datetime.timedelta(days=30),
        review_on=today + datetime.timedelta(days=7),
        budget=D("600"),
        funding_cap=D("100"),
        funding_ratio=D("20"),
        eligibility={"stages": [2, 3], "qualifications": ["tech_sme", "hitech"], "no_open_overdue": True},
    )
    apps = applications(rng, call, firms, 9, 150, AppState.ACCEPTED, {f: "综合组" for f in "12468"})
    account = Expert.objects.filter(user__username="expert").first()
    constraints = {"min_fields": {"F": 1}, "max_same_employer": 1}
    people, pool = services.applicants(call, "综合组"), services.candidates(call)
    seed = next(
        (
            s
            for s in range(2026, 2226)
            if account is None
            or account.pk
            in {c.id for c in drawing.draw(pool, people, 5, s, **services._constraints(constraints)).chosen}
        ),
        2026,
    )
    services.run_draw(
        call, "综合组", 5, seed, constraints, bureau
    )  # the first seed whose draw includes the demo expert
    done = [r for r in Review.objects.filter(application__in=apps[:4]).exclude(expert=account)]
    for review in done:
        review.declared_at = review.submitted_at = timezone.now() - datetime.timedelta(days=1)
        review.scores = {c["code"]: str(int(c["max"] * 0.8)) for c in call.criteria()}
        review.total = sum(D(v) for v in review.scores.values())
        review.save()
    for app in apps[:4]:
        services.rescore(app)
    if account is not None:  # one declared and open to score; the rest wait for the declaration
        Review.objects.filter(expert=account, application=apps[0]).update(declared_at=timezone.now())


def open_calls(angel, challenge, firms):
    today = timezone.localdate()
    common = dict(
        year=today.year,
        opens_on=today - datetime.timedelta(days=20),
        closes_at=timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=45), datetime.time(17))
        ),
        unit_check_due=today + datetime.timedelta(days=55),
        review_on=today + datetime.timedelta(days=70),
    )
    Call.objects.create(
        programme=angel,
        title=f"{today.year}年度天使资金项目申报指南",
        budget=D("300"),
        funding_cap=D("20"),
        funding_ratio=D("50"),
        required_attachments=["营业执照", "创业团队简介"],
        eligibility={
            "stages": [1],
            "rulesets": ["tech-sme-2022"],
            "no_open_overdue": True,
            "unconfirmed": [
                "天使资金的初创期口径（营业收入500万元以下）沿用《东丽区科技小巨人成长计划》的划分，待主管科室确认"
            ],
        },
        **common,
    )
    call = Call.objects.create(
        programme=challenge,
        title=f"{today.year}年度揭榜挂帅项目：高精度工业视觉检测装备",
        budget=D("500"),
        funding_cap=D("200"),
        funding_ratio=D("40"),
        challenge="发榜需求：面向汽车零部件产线，检测精度达到0.01毫米，检测节拍不超过1秒/件，误检率低于0.1%。\n"
        "揭榜要求：两年内完成样机并在区内企业产线示范应用。",
        required_attachments=["营业执照", "揭榜技术方案"],
        eligibility={"no_open_overdue": True},
        **common,
    )
    # Submitted answers to the challenge, waiting in their units' check queues (two in 张贵庄街道).
    town = [f for f in firms if f.unit.name == "张贵庄街道"][:2]
    others = [f for f in firms[200:260] if f.unit.name != "张贵庄街道"][:3]
    rng = random.Random(SEED + 1)
    for firm in town + others:
        [app] = applications(rng, call, [firm], 1, 0, AppState.DRAFT)
        app.title = f"{firm.name.removesuffix('有限公司')}高精度视觉检测装备揭榜方案"
        app.save()
        _force(app, "submit", None, "")
        app.submitted_at = timezone.now() - datetime.timedelta(days=2)
        app.save()
        backdate([app], app.submitted_at)


def reserve(rng, firms, mine):
    """The project library: 2024–2026 applications to national and city programmes (seed 000: 20 项 a year)."""
    plans = [
        (ProjectLevel.NATIONAL, "国家重点研发计划"),
        (ProjectLevel.NATIONAL, "国家科技型中小企业技术创新基金"),
        (ProjectLevel.CITY, "天津市科技计划项目"),
        (ProjectLevel.CITY, "天津市科技型中小企业创新资金"),
        (ProjectLevel.CITY, "天津市科技成果转化项目"),
    ]
    rows = []
    for year, approved_n in ((2024, 17), (2025, 21), (2026, 9)):
        for i in range(28 if year < 2026 else 24):
            firm = mine if (mine and year == 2025 and i == 0) else firms[(year * 13 + i * 7) % len(firms)]
            level, plan = plans[i % len(plans)]
            requested = D(rng.choice([50, 80, 100, 150, 200, 300]))
            approved = i < approved_n
            status = (
                (ReserveStatus.COMPLETED if year == 2024 and i % 3 == 0 else ReserveStatus.APPROVED)
                if approved
                else (
                    ReserveStatus.REJECTED
                    if year < 2026
                    else (ReserveStatus.APPLIED if i % 2 else ReserveStatus.PLANNED)
                )
            )
            rows.append(
                ReserveProject(
                    enterprise=firm,
                    title=f"{firm.name.removesuffix('有限公司')}{['关键技术研发', '成果转化', '新产品开发', '示范应用'][i % 4]}",
                    level=level,
                    plan_name=plan,
                    field=str(i % 8 + 1),
                    batch=f"{year}年第{'一二'[i % 2]}批",
                    year=year,
                    status=status,
                    amount_requested=requested,
                    amount_approved=(requested * D("0.8")).quantize(D("1")) if approved else None,
                    approved_on=datetime.date(year, 6 + i % 5, 10) if approved else None,
                )
            )
    ReserveProject.objects.bulk_create(rows)
