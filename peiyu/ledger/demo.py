"""The demo ledgers. Seed 004's rectification plan — its four problems with their measures, lead
and co-departments and deadlines (2023.12 and 长期) — as the bureau's 整改台账. The seed blanks its
names ("xxx", "x"), so the demo names the leader in charge of each lead department (demo
departments) and a member of it; the seed's misprint 农业与社会开展科 is the demo's 农业与社会发展科.
Problem 1 ran past its 2023 deadline and carries a supervision notice; the three long-term problems
report quarterly, with a missed quarter here and there. A second ledger, the 2026 key-work ledger,
follows seed 004's own figures (R&D 19亿 split to towns, the "three zeros", R&D institutions in the
2/3 of 亿元 enterprises without one) with dated items: closed on time, closed late, overdue, open.
Deterministic: every date is fixed."""

import datetime as dt

from django.utils import timezone

from peiyu.core.history import acting_as
from peiyu.core.models import Unit, User
from peiyu.core.workdays import add_working_days
from peiyu.ledger import services
from peiyu.ledger.choices import Cadence, ItemState, LedgerKind, NoticeState
from peiyu.ledger.models import Item, Ledger, Report, SupervisionNotice
from peiyu.ledger.seed004 import ITEMS

D = dt.date
DISTRICT = "东丽区"
# Per seed-004 problem: (responsible leader, responsible person) as demo accounts.
OWNERS = (("刘志强", "郑凯"), ("马建华", "冯磊"), ("马建华", "许静"), ("刘志强", "郑凯"))
# (problem index, reported on, by username, text, percent)
REPORTS = (
    (0, D(2023, 6, 28), "cadre1", "党组理论学习中心组完成上半年6次集中学习，制定《党组成员学习制度》。", 40),
    (
        0,
        D(2023, 11, 30),
        "cadre1",
        "廉政风险防控机制建立，“三重一大”集体决策制度修订稿已送审；机关作风建设尚未完成考核。",
        75,
    ),
    (
        1,
        D(2024, 3, 29),
        "cadre2",
        "R&D投入19亿元指标已分解到各镇、开发区并明确责任人；发布一季度统计公报。",
        None,
    ),
    (1, D(2024, 6, 28), "cadre2", "二季度统计公报已发布，技术开发费备案企业比上年增加。", None),
    (1, D(2024, 12, 27), "cadre2", "完成年度目标考核，R&D经费支出占GDP比重提高。", None),
    (1, D(2025, 3, 31), "cadre2", "一季度统计公报已发布。", None),
    (1, D(2025, 9, 30), "cadre2", "三季度统计公报已发布，高企15%税率政策宣讲覆盖规模企业。", None),
    (2, D(2024, 6, 20), "cadre3", "启动五大产业专利战略研究，“三个零”企业清单建立。", None),
    (2, D(2025, 6, 30), "cadre3", "专利申请量2200件目标进度过半，其中发明专利230件。", None),
    (3, D(2024, 9, 30), "cadre1", "修订高层次人才引进扶持办法，重点支持创新团队3个。", None),
)
# The 2026 key-work ledger: (problem, measures, leader, departments, person, deadline, done on).
KEY_WORK = (
    (
        "R&D经费投入19亿元指标分解到各镇、开发区",
        ("一是按各地实际分解指标并明确责任人。", "二是每季度发布统计公报一次。"),
        "马建华",
        "高新技术科、科技管理科",
        "冯磊",
        D(2026, 3, 31),
        D(2026, 3, 27),
    ),
    (
        "消灭规模企业“零专利”",
        ("一是建立零专利规模企业清单。", "二是组织专利代理机构上门服务。"),
        "马建华",
        "科技管理科、高新技术科",
        "韩涛",
        D(2026, 6, 30),
        D(2026, 7, 20),
    ),
    (
        "高新企业年度专利“零申请”清零",
        ("一是逐户督促高新技术企业提交专利申请。",),
        "马建华",
        "高新技术科",
        "许静",
        D(2026, 9, 30),
        None,
    ),
    (
        "2/3销售超亿元企业没有研发机构",
        ("一是推动企业建设工程技术研究中心。", "二是落实研发机构政策优惠和资金支持。"),
        "马建华",
        "高新技术科、农业与社会发展科",
        "冯磊",
        D(2026, 12, 31),
        None,
    ),
    (
        "高层次人才引进数量不到昆山一半",
        ("一是选择优秀创新团队给予项目经费持续支持。",),
        "高文静",
        "农业与社会发展科、局办公室",
        "曹颖",
        D(2027, 6, 30),
        None,
    ),
)


def load() -> None:
    district = Unit.objects.get(name=DISTRICT)
    users = {u.username: u for u in User.objects.filter(unit=district)}
    bureau = users.get("bureau")
    with acting_as(bureau):
        rectification(district, users)
        key_work(district, users)


def add_item(ledger, number, problem, measures, leaders, departments, persons, deadline, **fields) -> Item:
    parsed = services.parse_deadline(deadline)
    item = Item(
        ledger=ledger,
        unit=ledger.unit,
        number=number,
        problem=problem,
        deadline=parsed.date,
        deadline_text=parsed.text,
        long_term=parsed.long_term,
        cadence=Cadence.QUARTER if parsed.long_term else "",
        **fields,
    )
    owners = services.match_owners(ledger.unit, leaders, departments, persons)
    services.apply_owners(item, owners)
    item.save()
    services.save_responsibility(item, owners)
    services.set_measures(item, list(measures))
    return item


def backdate(item: Item, day: dt.date) -> None:
    stamp = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9))
    Item.all_objects.filter(pk=item.pk).update(created=stamp)
    item.created = stamp


def rectification(district, users) -> None:
    ledger = Ledger.objects.create(
        name="科技局党组科学发展观活动整改落实台账",
        kind=LedgerKind.RECTIFICATION,
        year=2023,
        unit=district,
        source="科技局党组科学开展观活动整改落实方案",
    )
    items = []
    for number, (seed, (leader, person)) in enumerate(zip(ITEMS, OWNERS, strict=True), start=1):
        departments = seed["departments"].replace("农业与社会开展科", "农业与社会发展科")
        item = add_item(
            ledger,
            number,
            seed["problem"],
            seed["measures"],
            leader,
            departments,
            person,
            seed["deadline"],
            manifestations=seed["manifestations"],
            goal=seed["goal"],
        )
        backdate(item, D(2023, 3, 1))
        items.append(item)
    for index, day, username, text, percent in REPORTS:
        services.submit_report(items[index], users[username], text, percent=percent, on=day)
    # Problem 1 is past its 2023.12 deadline: the bureau issued a supervision notice, still unanswered.
    SupervisionNotice.objects.create(
        item=items[0],
        number="督办〔2024〕1号",
        issued_by=users["bureau"],
        issued_on=D(2024, 1, 15),
        content="整改事项1已超过2023年12月底完成时限，请局办公室说明机关作风建设考核未完成的原因，并报送整改计划。",
        due_date=add_working_days(D(2024, 1, 15), 5),
        state=NoticeState.OPEN,
    )


def key_work(district, users) -> None:
    ledger = Ledger.objects.create(
        name="2026年科技创新重点工作台账",
        kind=LedgerKind.KEY_WORK,
        year=2026,
        unit=district,
        source="2026年区科技局重点工作安排",
    )
    for number, (problem, measures, leader, departments, person, deadline, done_on) in enumerate(
        KEY_WORK, start=1
    ):
        item = add_item(ledger, number, problem, measures, leader, departments, person, deadline)
        backdate(item, D(2026, 1, 5))
        if done_on is not None:
            author = item.lead_department.members.order_by("username").first()
            Report.objects.create(
                item=item,
                author=author,
                department=item.lead_department,
                reported_on=done_on,
                text="措施全部完成，附佐证材料。",
                percent=100,
                is_lead=True,
            )
            services.refresh_progress(item)
            Item.all_objects.filter(pk=item.pk).update(state=ItemState.DONE, done_on=done_on)
