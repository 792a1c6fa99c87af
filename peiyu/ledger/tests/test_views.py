"""Pages: the ledger table, an item with its reports, my items, the calendar, the board and the
statistics; forms with Chinese errors; reports, returns, notices and replies."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from peiyu.core.models import ObjectChange
from peiyu.ledger import services
from peiyu.ledger.choices import NoticeState, ReportStatus
from peiyu.ledger.models import Item, Ledger, Report, SupervisionNotice

D = dt.date


@pytest.fixture
def two_items(make_item, bureau_setup):
    overdue = make_item(number=1, problem="工作作风还存在问题", deadline=D(2023, 12, 31))
    long_term = make_item(
        number=2,
        problem="全社会科技投入不足",
        deadline=None,
        leaders="马建华",
        departments="高新技术科、科技管理科",
        persons="冯磊",
    )
    services.submit_report(long_term, bureau_setup["hitech"], "R&D 投入分解到各镇", percent=30)
    return overdue, long_term


def test_ledger_table_groups_measures_under_their_problem(
    client_for, users, ledger, two_items, django_assert_max_num_queries
):
    client = client_for(users["bureau"])
    with django_assert_max_num_queries(25):
        response = client.get(ledger.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('rowspan="2"') >= 2 * 7  # two measures per item: the item's cells span both rows
    assert "工作作风还存在问题" in html and "一是加强学习。" in html and "二是完善制度。" in html
    assert "2023年12月31日" in html and "R&amp;D 投入分解到各镇" in html


def test_ledger_table_filters(client_for, users, ledger, two_items, bureau_setup):
    client = client_for(users["bureau"])
    url = ledger.get_absolute_url()
    overdue = client.get(url, {"situation": "overdue"}).content.decode()
    assert "工作作风还存在问题" in overdue and "全社会科技投入不足" not in overdue
    by_dept = client.get(url, {"department": bureau_setup["manage"].pk}).content.decode()  # a co-department
    assert "全社会科技投入不足" in by_dept and "工作作风还存在问题" not in by_dept
    by_person = client.get(url, {"person": bureau_setup["clerk"].pk}).content.decode()
    assert "工作作风还存在问题" in by_person and "全社会科技投入不足" not in by_person
    assert "全社会科技投入不足" in client.get(url, {"q": "投入"}).content.decode()


def test_due_this_week(client_for, users, make_item):
    with (
        mock.patch("peiyu.ledger.filtersets.today", return_value=D(2026, 3, 4)),
        mock.patch("peiyu.ledger.models.today", return_value=D(2026, 3, 4)),
    ):
        make_item(number=1, problem="本周到期", deadline=D(2026, 3, 8))
        make_item(number=2, problem="下周到期", deadline=D(2026, 3, 9))
        html = (
            client_for(users["bureau"])
            .get(reverse("ledger:item-list"), {"situation": "due_week"})
            .content.decode()
        )
    assert "本周到期" in html and "下周到期" not in html


def test_my_items_lists_named_and_department_items(client_for, bureau_setup, two_items):
    html = client_for(bureau_setup["hitech"]).get(reverse("ledger:my-items")).content.decode()
    assert "全社会科技投入不足" in html and "工作作风还存在问题" not in html


def test_item_page_shows_reports_periods_and_owners(client_for, users, two_items):
    _overdue, long_term = two_items
    html = client_for(users["bureau"]).get(long_term.get_absolute_url()).content.decode()
    assert "R&amp;D 投入分解到各镇" in html and "马建华" in html and "科技管理科" in html
    assert "长期" in html or "Long-term" in html


def test_calendar_board_and_statistics(client_for, users, two_items, ledger):
    client = client_for(users["bureau"])
    cal = client.get(reverse("ledger:calendar"), {"month": "2023-12"}).content.decode()
    assert "2023年12月" in cal and "问题" in cal
    assert client.get(reverse("ledger:calendar"), {"month": "bad"}).status_code == 200
    board = client.get(reverse("ledger:board")).content.decode()
    assert "工作作风还存在问题" in board and "全社会科技投入不足" in board
    response = client.get(reverse("ledger:statistics"))
    rows = {r.department: r for r in response.context["rows"]}
    assert rows["局办公室"].overdue == 1 and rows["局办公室"].average_delay is not None
    assert rows["高新技术科"].long_term == 1


def test_new_item_form_errors_are_clear(client_for, users, ledger):
    client = client_for(users["bureau"])
    url = reverse("ledger:item-add", args=[ledger.pk])
    response = client.post(
        url,
        {
            "number": 1,
            "problem": "问题",
            "measures_text": "一是",
            "departments_text": "",
            "deadline": "2020-01-01",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "departments_text" in errors
    response = client.post(
        url,
        {
            "number": 1,
            "problem": "问题",
            "measures_text": "一是",
            "departments_text": "局办公室",
            "deadline": "2020-01-01",
        },
    )
    assert "deadline" in response.context["form"].errors
    assert not Item.objects.exists()


def test_new_item_saved_with_owners_and_warning(client_for, users, ledger, bureau_setup, enterprises):
    client = client_for(users["bureau"])
    response = client.post(
        reverse("ledger:item-add", args=[ledger.pk]),
        {
            "number": 3,
            "problem": "高层次人才缺乏",
            "measures_text": "一是引进人才\n二是培养团队",
            "leaders_text": "刘志强",
            "departments_text": "局办公室、人才办",
            "persons_text": "郑凯",
            "deadline": "2099-06-30",
            "enterprises_text": "华东科技有限公司",
        },
        follow=True,
    )
    item = Item.objects.get(number=3)
    assert item.lead_department == bureau_setup["office"] and item.unmatched == "人才办"
    assert list(item.measures.values_list("text", flat=True)) == ["一是引进人才", "二是培养团队"]
    assert list(item.enterprises.all()) == [enterprises["a"]]
    assert "人才办" in response.content.decode()  # the warning
    assert ObjectChange.objects.filter(object_id=item.pk, user=users["bureau"]).exists()


def test_report_return_notice_and_reply(client_for, users, two_items, bureau_setup):
    overdue, _ = two_items
    clerk = client_for(bureau_setup["clerk"])
    clerk.post(reverse("ledger:report-add", args=[overdue.pk]), {"text": "已开展学习", "percent": 50})
    report = Report.objects.get(item=overdue)
    assert report.is_lead and report.author == bureau_setup["clerk"]
    overdue.refresh_from_db()
    assert overdue.progress == 50
    bureau = client_for(users["bureau"])
    bureau.post(reverse("ledger:report-return", args=[report.pk]), {"reason": "无佐证"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "无佐证"
    bureau.post(
        reverse("ledger:notice-add", args=[overdue.pk]), {"content": "请于期限内说明逾期原因", "due_in": 5}
    )
    notice = SupervisionNotice.objects.get(item=overdue)
    assert notice.number.startswith("督办〔") and notice.due_date > notice.issued_on
    client_for(bureau_setup["clerk"]).post(
        reverse("ledger:notice-reply", args=[notice.pk]), {"reply": "已整改"}
    )
    notice.refresh_from_db()
    assert notice.state == NoticeState.REPLIED and notice.replied_by == bureau_setup["clerk"]


def test_report_with_bad_percent_is_refused(client_for, bureau_setup, two_items):
    overdue, _ = two_items
    client_for(bureau_setup["clerk"]).post(
        reverse("ledger:report-add", args=[overdue.pk]), {"text": "x", "percent": 150}
    )
    assert not Report.objects.filter(item=overdue).exists()


def test_ledger_list_counts(client_for, users, ledger, two_items):
    response = client_for(users["bureau"]).get(reverse("ledger:index"))
    row = next(x for x in response.context["object_list"] if x.pk == ledger.pk)
    assert row.counts["n"] == 2 and row.counts["overdue"] == 1


def test_new_ledger_by_bureau_only(client_for, users, units):
    assert client_for(users["town_a"]).get(reverse("ledger:ledger-add")).status_code == 403
    response = client_for(users["bureau"]).post(
        reverse("ledger:ledger-add"),
        {
            "name": "2026年重点工作台账",
            "kind": "key_work",
            "year": 2026,
            "unit": units["district"].pk,
            "remind_before_days": 3,
            "escalate_after_days": 5,
        },
    )
    assert response.status_code == 302 and Ledger.objects.filter(name="2026年重点工作台账").exists()


def test_an_item_links_the_targets_its_author_may_see(client_for, users, units):
    """Linked targets (目标责任) are chosen from the author's own scope and shown on the item."""
    from peiyu.ledger.forms import ItemForm
    from peiyu.targets.models import Indicator, Plan, Target

    plan = Plan.objects.create(code="P-2026", name="2026年度目标", period_code="2026", unit=units["district"])
    indicator = Indicator.objects.create(code="rd", name="研发投入", unit="亿元", source="reported")
    mine = Target.objects.create(plan=plan, indicator=indicator, unit=units["town_a"], floor=1)
    theirs = Target.objects.create(plan=plan, indicator=indicator, unit=units["town_b"], floor=1)
    form = ItemForm(user=users["town_a"], instance=None)
    assert mine in form.fields["targets"].queryset and theirs not in form.fields["targets"].queryset
