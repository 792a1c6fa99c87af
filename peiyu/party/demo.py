"""Demo data of the party ledger (deterministic, a few seconds): organisations in part of the demo
district's technology enterprises, a joint branch in each park, instructors for larger enterprises
without one, the gaps left, the March and October 2026 snapshots (organisations founded between
them), lead-type nominations against seed 003's yearly numbers (3 commended, 2 recommended),
demonstration points and typical cases, 三会一课 and briefings, commendations."""

import datetime

from django.db.models import Q
from django.utils import timezone

from peiyu.core.choices import Role
from peiyu.core.models import Unit, User
from peiyu.party import coverage, snapshots
from peiyu.party.choices import ActivityKind, OrganisationKind, Setup
from peiyu.party.models import (
    Activity,
    Commendation,
    CoverageEntry,
    FiveClearEntry,
    FiveClearItem,
    Instructor,
    LeadCriterion,
    Nomination,
    Organisation,
    PartySettings,
    Showcase,
    SnapshotRow,
    UnitReturn,
    UpdateWindow,
)

YEAR = 2026
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = (
    "建国",
    "秀英",
    "志强",
    "海燕",
    "晓东",
    "丽华",
    "国庆",
    "红梅",
    "文博",
    "静怡",
    "立新",
    "春生",
    "慧敏",
    "振华",
    "玉兰",
)

# The six items of the Jiangxi variant (RULES §10.4): the exact 五个清 are unconfirmed.
FIVE_CLEARS = (
    ("企业生产经营情况清", "主营业务、营业收入、是否正常经营"),
    ("职工队伍情况清", "从业人员数、科技人员数"),
    ("党员队伍情况清", "正式党员、预备党员、流动党员及归入情况"),
    ("出资人情况清", "主要出资人、政治面貌"),
    ("党组织设置情况清", "单建、联建或行业建，隶属关系"),
    ("未建党组织原因清", "党员不足3名、已选派党建指导员等"),
)
LEAD_CRITERIA = (
    "政治引领有力：坚持“两个确立”“两个维护”，重大事项党组织前置会商",
    "组织体系健全：班子配备齐全，“三会一课”、主题党日等制度落实规范",
    "党建与业务深度融合：推进“党务+科技”，党建“软实力”转化为科技创新“硬支撑”",
    "创新成效突出：属领军企业、链主企业或科技创新平台，培育高新技术企业等创新主体",
    "党员作用明显：党员先锋岗、攻关团队在技术创新中发挥带头作用",
    "辐射带动能力强：带动产学研、上下游“两新”组织做好党建工作",
)
TOPICS = {
    ActivityKind.MEMBERS_MEETING: "党员大会：学习贯彻党的二十大精神",
    ActivityKind.COMMITTEE_MEETING: "支委会：研究年度党建与研发重点工作",
    ActivityKind.GROUP_MEETING: "党小组会：研发攻关岗位党员交流",
    ActivityKind.LECTURE: "党课：弘扬科学家精神，建设创新型企业",
    ActivityKind.THEME_DAY: "主题党日：走进科技创新平台",
    ActivityKind.BRIEFING: "科技政策宣讲：研发费用加计扣除与研发投入后补助",
}


def person(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


def members_of(i: int, staff: int) -> int:
    """A deterministic party-member count no larger than the headcount."""
    pattern = (0, 1, 5, 2, 8, 0, 3, 12, 1, 4, 0, 6, 2, 25, 0, 3, 1, 9, 0, 2)
    return min(pattern[i % len(pattern)], staff)


def kind_for(members: int) -> str:
    if members >= 100:
        return OrganisationKind.COMMITTEE
    if members >= 50:
        return OrganisationKind.GENERAL_BRANCH
    return OrganisationKind.BRANCH


def clear() -> None:
    """What a previous demo left (a reset wipes units and enterprises; windows and items stay)."""
    for model in (
        SnapshotRow,
        FiveClearEntry,
        UnitReturn,
        UpdateWindow,
        Activity,
        Commendation,
        Nomination,
        CoverageEntry,
    ):
        model.objects.all().delete()
    Showcase.all_objects.all().delete()
    Instructor.all_objects.all().delete()
    Organisation.all_objects.update(parent=None)
    Organisation.all_objects.all().delete()
    FiveClearItem.objects.all().delete()
    LeadCriterion.objects.all().delete()


def load() -> None:
    clear()
    PartySettings.current()
    coverage.ensure_entries()
    entries = list(CoverageEntry.objects.select_related("enterprise").order_by("enterprise__uscc"))
    for i, entry in enumerate(entries):
        entry.party_members = members_of(i, entry.employees or 0)
        entry.mobile_members = 1 if i % 17 == 0 else 0
    CoverageEntry.objects.bulk_update(entries, ["party_members", "mobile_members"], batch_size=1000)
    FiveClearItem.objects.bulk_create(
        [FiveClearItem(name=n, guidance=g, order=k) for k, (n, g) in enumerate(FIVE_CLEARS)]
    )
    LeadCriterion.objects.bulk_create([LeadCriterion(text=t, order=k) for k, t in enumerate(LEAD_CRITERIA)])

    march_orgs, october_orgs = own_organisations(entries)
    joint = joint_branches(entries)
    instructors(entries)
    coverage.refresh()

    # March: only what existed by then; the organisations founded later join before October.
    Organisation.objects.filter(pk__in=[o.pk for o in october_orgs]).update(status="dissolved")
    coverage.refresh()
    march = close_window(datetime.date(YEAR, 3, 2), datetime.datetime(YEAR, 3, 27, 17, 0))
    Organisation.objects.filter(pk__in=[o.pk for o in october_orgs]).update(status="active")
    # Three enterprises lost their branch (members moved away) between the two updates: new gaps.
    Organisation.objects.filter(pk__in=[o.pk for o in march_orgs[5:30:10]]).update(status="dissolved")
    coverage.refresh()
    october = close_window(datetime.date(YEAR, 10, 9), datetime.datetime(YEAR, 10, 30, 17, 0))
    assert march and october
    organisations = march_orgs + october_orgs + joint
    lead_type(organisations)
    showcases(organisations)
    activities(organisations)
    commendations(organisations)


def own_organisations(entries):
    """An organisation set up alone in most enterprises with 3 or more members; those founded
    after March 2026 make the October snapshot differ."""
    march, october = [], []
    candidates = [e for e in entries if e.party_members >= 3]
    for i, entry in enumerate(candidates):
        if i % 5 == 4:  # left without: 应建未建
            continue
        founded = (
            datetime.date(YEAR, 6, 1 + i % 28)
            if i % 7 == 3
            else datetime.date(2012 + i % 13, 1 + i % 12, 1 + i % 27)
        )
        enterprise = entry.enterprise
        org = Organisation(
            name=f"中共{enterprise.name.removesuffix('有限公司').removesuffix('股份')}支部委员会"
            if entry.party_members >= 7
            else f"{enterprise.name.removesuffix('有限公司')}党支部",
            kind=kind_for(entry.party_members),
            setup=Setup.SINGLE,
            unit_id=entry.unit_id,
            secretary=person(i),
            formal_members=max(entry.party_members - 1, 1),
            probationary_members=1 if entry.party_members > 3 else 0,
            mobile_members_placed=i % 3 == 0,
            founded=founded,
        )
        (october if founded.year == YEAR else march).append((org, enterprise))
    made = Organisation.objects.bulk_create([org for org, _e in march + october])
    Organisation.enterprises.through.objects.bulk_create(
        [
            Organisation.enterprises.through(organisation_id=org.pk, enterprise_id=e.pk)
            for org, e in march + october
        ]
    )
    return made[: len(march)], made[len(march) :]


def joint_branches(entries):
    """A joint branch in each park covering up to six small enterprises (under 3 members) there."""
    made = []
    by_park = {}
    for entry in entries:
        if entry.enterprise.park_id and entry.party_members < 3:
            by_park.setdefault(entry.enterprise.park_id, []).append(entry)
    for k, park in enumerate(Unit.objects.filter(pk__in=by_park).order_by("path")):
        covered = by_park[park.pk][:6]
        members = sum(e.party_members for e in covered)
        org = Organisation.objects.create(
            name=f"{park.name}联合党支部",
            kind=OrganisationKind.JOINT_BRANCH,
            setup=Setup.JOINT,
            unit=park,
            secretary=person(100 + k),
            formal_members=max(members, 3),
            founded=datetime.date(2019 + k % 5, 7, 1),
        )
        Organisation.enterprises.through.objects.bulk_create(
            [
                Organisation.enterprises.through(organisation_id=org.pk, enterprise_id=e.enterprise_id)
                for e in covered
            ]
        )
        made.append(org)
    return made


def instructors(entries):
    """Instructors (党建指导员) for the larger enterprises without an organisation (50+ staff)."""
    covered = set(Organisation.enterprises.through.objects.values_list("enterprise_id", flat=True))
    bare = [e for e in entries if e.enterprise_id not in covered and (e.employees or 0) >= 50]
    for k in range(0, min(len(bare), 48), 6):
        group = bare[k : k + 6]
        unit_id = group[0].enterprise.unit_id
        teacher = Instructor.objects.create(
            name=person(200 + k),
            unit_id=unit_id,
            employer="东丽区科技创新综合党委" if k % 12 == 0 else "街道党工委组织委员",
            appointed=datetime.date(2025, 3 + k % 9, 10),
        )
        teacher.enterprises.set(
            [e.enterprise_id for e in group if e.enterprise.unit_id == unit_id] or [group[0].enterprise_id]
        )


def close_window(opened: datetime.date, closed: datetime.datetime):
    window = snapshots.open_window(opened)
    bureau = (
        User.objects.filter(role=Role.PARTY, unit__kind="district").first()
        or User.objects.filter(is_superuser=True).first()
    )
    for unit_return in window.returns.select_related("unit"):
        n = CoverageEntry.objects.filter(
            Q(unit__path__startswith=unit_return.unit.path), operating=True
        ).count()
        for entry in FiveClearEntry.objects.filter(unit_return=unit_return).select_related("item"):
            entry.content = f"{unit_return.unit.name}：辖内科技型企业{n}家，{entry.item.guidance}已逐户核实。"
            entry.save()
        if bureau:
            unit_return.apply_transition("submit", bureau)
    if bureau:
        window.apply_transition("close", bureau)
    window.refresh_from_db()
    aware = timezone.make_aware(closed)
    type(window).objects.filter(pk=window.pk).update(closed_at=aware)
    return window


def lead_type(organisations):
    bureau = User.objects.filter(role=Role.PARTY, unit__kind="district").first()
    big = sorted(organisations, key=lambda o: (-o.formal_members, o.pk))[:7]
    criteria = list(LeadCriterion.objects.all())
    steps = (
        ["nominate", "approve", "commend", "recommend"],
        ["nominate", "approve", "commend", "recommend"],
        ["nominate", "approve", "commend"],
        ["nominate", "approve"],
        ["nominate"],
        ["nominate", "reject"],
        [],
    )
    for k, (org, path) in enumerate(zip(big, steps, strict=True)):
        nomination = Nomination.objects.create(
            organisation=org,
            year=YEAR,
            reasons=f"{org.name}坚持“党务+科技”融合，党员攻关团队牵头研发项目{3 + k}项。",
        )
        nomination.criteria.set(criteria[: 6 - k % 3])
        for step in path:
            if bureau:
                nomination.apply_transition(step, bureau)


def showcases(organisations):
    first = organisations[:4]
    rows = [
        ("demonstration", "东丽开发区智能制造产业链党建示范点", 2025),
        ("demonstration", "华明高新区“支部建在创新链上”示范点", 2026),
        ("case", "以“党建联建”破解中小科技企业人才难题", 2026),
        ("case", "党员先锋岗带动企业通过高新技术企业认定", 2026),
    ]
    for (kind, title, year), org in zip(rows, first, strict=True):
        Showcase.objects.create(
            kind=kind,
            title=title,
            year=year,
            organisation=org,
            unit_id=org.unit_id,
            summary=f"{org.name}以高质量党建引领科技创新，形成可复制、可推广的经验。",
        )


def activities(organisations):
    rows = []
    for k, org in enumerate(organisations):
        size = org.formal_members + org.probationary_members
        for month in range(1, 12):
            day = datetime.date(YEAR, month, 5 + k % 20)
            rows.append(
                Activity(
                    organisation=org,
                    unit_id=org.unit_id,
                    date=day,
                    kind=ActivityKind.THEME_DAY,
                    topic=TOPICS[ActivityKind.THEME_DAY],
                    attendance=size,
                )
            )
            if month % 3 == 0:
                for kind in (ActivityKind.MEMBERS_MEETING, ActivityKind.LECTURE):
                    rows.append(
                        Activity(
                            organisation=org,
                            unit_id=org.unit_id,
                            date=day + datetime.timedelta(days=2),
                            kind=kind,
                            topic=TOPICS[kind],
                            attendance=max(size - 1, 1),
                        )
                    )
        for month in (4, 9) if k % 4 else (5,):  # one in four has only one briefing so far
            rows.append(
                Activity(
                    organisation=org,
                    unit_id=org.unit_id,
                    date=datetime.date(YEAR, month, 12 + k % 10),
                    kind=ActivityKind.BRIEFING,
                    topic=TOPICS[ActivityKind.BRIEFING],
                    attendance=size + 10,
                    minutes="宣讲《广元市进一步支持科技创新若干政策》等激励政策。",
                )
            )
    district = Unit.objects.filter(kind="district").first()
    rows += [
        Activity(
            unit=district,
            date=datetime.date(YEAR, 4, 22),
            kind=ActivityKind.SECRETARY_TRAINING,
            topic="科技企业党组织书记培训班",
            attendance=46,
        ),
        Activity(
            unit=district,
            date=datetime.date(YEAR, 9, 17),
            kind=ActivityKind.INSTRUCTOR_TRAINING,
            topic="党建指导员业务培训",
            attendance=12,
        ),
    ]
    Activity.objects.bulk_create(rows, batch_size=1000)


def commendations(organisations):
    Commendation.objects.bulk_create(
        [
            Commendation(
                year=YEAR,
                kind="worker" if k % 2 else "member",
                person=person(300 + k),
                organisation=org,
                unit_id=org.unit_id,
                deeds="带领党员攻关团队突破关键技术" if k % 2 == 0 else "规范落实“三会一课”，党务工作扎实",
            )
            for k, org in enumerate(organisations[:16])
        ]
    )
