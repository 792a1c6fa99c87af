"""The rules of an item: deadlines as written, the lead department, working-day reminders across
holidays and make-up days, escalation, long-term cadence periods and acceptance with evidence."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from peiyu.core.models import DeclaredDay, Notification
from peiyu.core.workdays import Period
from peiyu.core.workflows import TransitionNotAllowed
from peiyu.ledger import deadlines, services
from peiyu.ledger.choices import ItemState, ReminderKind, ReportStatus, Situation
from peiyu.ledger.models import Item, Reminder

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected", "long_term"),
    [
        ("2023.12", D(2023, 12, 31), False),
        ("2024.2", D(2024, 2, 29), False),  # leap year: the month's last day
        ("2023年12月底", D(2023, 12, 31), False),
        ("2023年12月", D(2023, 12, 31), False),
        ("2023年6月底前", D(2023, 6, 30), False),
        ("2023年底", D(2023, 12, 31), False),
        ("2023.12.15", D(2023, 12, 15), False),
        ("2023年12月15日", D(2023, 12, 15), False),
        ("2023-09-01", D(2023, 9, 1), False),
        ("２０２３．１２", D(2023, 12, 31), False),  # full-width digits
        ("长期", None, True),
        (" 长期 ", None, True),
        (D(2025, 3, 31), D(2025, 3, 31), False),
    ],
)
def test_deadline_as_written(text, expected, long_term):
    parsed = services.parse_deadline(text)
    assert (parsed.date, parsed.long_term) == (expected, long_term)


@pytest.mark.parametrize("text", ["", "明年", "2023.13", "2023.2.30", "下半年"])
def test_deadline_that_is_not_one_gets_a_chinese_message(text):
    with pytest.raises(ValueError, match="2023.12"):
        services.parse_deadline(text)


def test_first_listed_department_leads_and_the_rest_assist(make_item, bureau_setup):
    item = make_item(departments="高新技术科、科技管理科、农业与社会开展科")
    assert item.lead_department == bureau_setup["tech"]
    assert item.lead_department_name == "高新技术科"
    responsibility = item.responsibility
    assert responsibility.lead_department == bureau_setup["tech"]
    assert responsibility.co_departments == [bureau_setup["manage"]]
    # The misprinted department matches nothing: kept as written, listed as unmatched.
    assert item.departments_text == "高新技术科、科技管理科、农业与社会开展科"
    assert item.unmatched == "农业与社会开展科"


def test_unmatched_lead_department_still_leads_by_name(make_item):
    item = make_item(departments="农业与社会开展科、局办公室")
    assert item.lead_department is None
    assert item.lead_department_name == "农业与社会开展科"


def test_item_without_lead_department_or_with_past_deadline_is_refused(ledger):
    with mock.patch("peiyu.ledger.models.today", return_value=D(2026, 6, 1)), translation.override("zh-hans"):
        item = Item(
            ledger=ledger,
            unit=ledger.unit,
            number=1,
            problem="p",
            departments_text="",
            lead_department_name="",
            deadline=D(2026, 5, 31),
        )
        with pytest.raises(ValidationError) as caught:
            item.full_clean()
    errors = caught.value.message_dict
    assert errors["departments_text"] == ["事项必须有牵头部门：请至少填写一个责任部门。"]
    assert errors["deadline"] == ["完成时限2026年5月31日已过：新事项的完成时限不能早于今天。"]


def test_long_term_needs_a_cadence_and_a_dated_item_a_deadline(ledger):
    item = Item(
        ledger=ledger,
        unit=ledger.unit,
        number=1,
        problem="p",
        departments_text="局办公室",
        lead_department_name="局办公室",
        long_term=True,
    )
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert "cadence" in caught.value.message_dict
    item.long_term = False
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert "deadline" in caught.value.message_dict


# — working days, overdue and escalation ——————————————————————————————————————————————


def test_due_soon_counts_working_days_across_the_spring_festival(make_item):
    # 2026: 15–23 February off, Saturday 14 February a make-up working day.
    item = make_item(deadline=D(2026, 2, 24))  # remind 3 working days before
    memo = deadlines.WorkdayMemo()
    # From Thursday 12 February: 13 (Fri), 14 (make-up Sat), 24 (Tue) → 3 working days: due soon.
    assert memo.between(D(2026, 2, 12), D(2026, 2, 24)) == 3
    assert deadlines.situation(item, D(2026, 2, 12)) == Situation.DUE_SOON
    # From Wednesday 11 February it is 4 working days: still on track, though only on the calendar 13 days.
    assert deadlines.situation(item, D(2026, 2, 11)) == Situation.ON_TRACK


def test_bureau_declared_days_count(make_item, users):
    item = make_item(deadline=D(2026, 3, 6))  # Friday
    assert deadlines.situation(item, D(2026, 3, 2)) == Situation.ON_TRACK  # 3,4,5,6 = 4 working days
    DeclaredDay.objects.create(date=D(2026, 3, 3), is_working_day=False, reason="区政府通知")
    assert deadlines.situation(item, D(2026, 3, 2)) == Situation.DUE_SOON


def planned_kinds(on):
    return sorted((p.item.number, p.kind) for p in deadlines.plan_reminders(on))


def test_overdue_then_escalated_after_the_ledgers_working_days(make_item, ledger, bureau_setup):
    ledger.escalate_after_days = 5
    ledger.save()
    make_item(deadline=D(2025, 9, 30))  # Tuesday before the National Day holiday (1–8 October)
    # 9 October (Thu) is the first working day after: 1 working day overdue.
    assert planned_kinds(D(2025, 10, 9)) == [(1, ReminderKind.OVERDUE)]
    # 9, 10, 11 (make-up Saturday), 13, 14 October: the fifth working day overdue escalates.
    assert planned_kinds(D(2025, 10, 13)) == [(1, ReminderKind.OVERDUE)]
    assert planned_kinds(D(2025, 10, 14)) == [(1, ReminderKind.ESCALATED), (1, ReminderKind.OVERDUE)]


def test_reminders_go_once_to_persons_and_escalation_to_the_leader(
    make_item, ledger, bureau_setup, django_capture_on_commit_callbacks
):
    item = make_item(deadline=D(2025, 9, 30))
    with django_capture_on_commit_callbacks(execute=True):
        first = deadlines.run_reminders(D(2025, 10, 20))
    assert first.sent == 2
    again = deadlines.run_reminders(D(2025, 10, 21))
    assert (again.sent, again.skipped) == (0, 2)
    overdue = Reminder.objects.get(item=item, kind=ReminderKind.OVERDUE)
    escalated = Reminder.objects.get(item=item, kind=ReminderKind.ESCALATED)
    assert list(overdue.recipients.all()) == [bureau_setup["clerk"]]
    assert list(escalated.recipients.all()) == [bureau_setup["director"]]
    assert escalated.working_days == 9  # 9, 10, 11 (make-up Saturday), 13–17, 20 October
    notes = Notification.objects.filter(kind__startswith="ledger.")
    assert sorted(notes.values_list("recipient__username", "kind")) == [
        ("clerk", "ledger.overdue"),
        ("director", "ledger.escalated"),
    ]


def test_dry_run_writes_nothing(make_item):
    make_item(deadline=D(2025, 9, 30))
    summary = deadlines.run_reminders(D(2025, 10, 20), dry_run=True)
    assert len(summary.planned) == 2 and summary.sent == 0
    assert not Reminder.objects.exists()


def test_done_item_is_never_reminded(make_item):
    item = make_item(deadline=D(2025, 9, 30))
    Item.objects.filter(pk=item.pk).update(state=ItemState.DONE)
    assert planned_kinds(D(2025, 10, 20)) == []


def test_unmatched_owner_falls_back_to_lead_department_members(make_item, bureau_setup):
    item = make_item(deadline=D(2025, 9, 30), leaders="xxx", persons="x", departments="高新技术科")
    deadlines.run_reminders(D(2025, 10, 20))
    assert list(Reminder.objects.get(item=item, kind=ReminderKind.OVERDUE).recipients.all()) == [
        bureau_setup["hitech"]
    ]
    assert list(Reminder.objects.get(item=item, kind=ReminderKind.ESCALATED).recipients.all()) == [
        bureau_setup["deputy"]
    ]


# — long-term items ——————————————————————————————————————————————————————————————


def test_long_term_periods_are_judged_one_by_one(make_item, bureau_setup):
    item = make_item(deadline=None, cadence="quarter")
    Item.objects.filter(pk=item.pk).update(created=dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
    item.refresh_from_db()
    services.submit_report(item, bureau_setup["clerk"], "一季度进展", on=D(2026, 3, 31))
    services.submit_report(item, bureau_setup["clerk"], "迟报", on=D(2026, 7, 1))  # counts for Q3, not Q2
    periods = deadlines.cadence_periods(item, D(2026, 8, 15))
    assert [(str(p.period.index), p.on_time) for p in periods] == [("3", True), ("2", False), ("1", True)]
    assert periods[0].current
    # A long-term item cannot be closed: it has no completion step.
    assert "request" not in [t.name for t in item.available_transitions(bureau_setup["clerk"])]


def test_missed_period_reminded_once_and_current_period_due_soon(make_item, bureau_setup):
    item = make_item(deadline=None, cadence="quarter")
    Item.objects.filter(pk=item.pk).update(created=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    # 26 June 2026 (Fri): Q2 ends 30 June, 2 working days left (29, 30); Q1 had no report.
    kinds = planned_kinds(D(2026, 6, 26))
    assert kinds == [(1, ReminderKind.DUE_SOON), (1, ReminderKind.PERIOD_MISSED)]
    deadlines.run_reminders(D(2026, 6, 26))
    keys = set(Reminder.objects.values_list("kind", "key"))
    assert keys == {(ReminderKind.DUE_SOON, "2026-quarter-2"), (ReminderKind.PERIOD_MISSED, "2026-quarter-1")}
    services.submit_report(item, bureau_setup["clerk"], "二季度", on=D(2026, 6, 29))
    assert deadlines.run_reminders(D(2026, 6, 30)).sent == 0


def test_cadence_period_labels():
    assert Period.containing(D(2026, 8, 1), "half").index == 2


# — reports and acceptance ———————————————————————————————————————————————————————————


def test_lead_department_report_is_the_items_progress(make_item, bureau_setup):
    item = make_item(departments="局办公室、高新技术科")
    services.submit_report(item, bureau_setup["hitech"], "配合部门报告", percent=90)
    item.refresh_from_db()
    assert item.progress == 0  # a co-department's report does not move the item
    lead = services.submit_report(item, bureau_setup["clerk"], "牵头部门报告", percent=40)
    assert lead.is_lead and lead.department == bureau_setup["office"]
    item.refresh_from_db()
    assert item.progress == 40
    services.return_report(lead, "缺少佐证材料")
    item.refresh_from_db()
    assert item.progress == 0
    lead.refresh_from_db()
    assert (lead.status, lead.return_reason) == (ReportStatus.RETURNED, "缺少佐证材料")
    with pytest.raises(ValueError):
        services.return_report(lead, "  ")


def test_acceptance_needs_evidence(make_item, users, bureau_setup, settings, tmp_path):
    from peiyu.core.attachments.services import attach

    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    item = make_item()
    clerk, bureau = bureau_setup["clerk"], users["bureau"]
    report = services.submit_report(item, clerk, "已完成全部措施", percent=100)
    item.apply_transition("request", clerk, comment="申请销号")
    assert "accept" not in [t.name for t in item.available_transitions(bureau)]
    with pytest.raises(TransitionNotAllowed):
        item.apply_transition("accept", bureau, comment="同意")
    attach(report, SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 evidence"), clerk)
    item.apply_transition("accept", bureau, comment="经核查，同意销号")
    item.refresh_from_db()
    assert item.state == ItemState.DONE and item.done_on is not None
    assert item.transition_trail().get(transition="accept").comment == "经核查，同意销号"
    # Unit staff may not accept; leaders may not request.
    assert not item.workflow.get("accept").permits(item, users["town_a"])


def test_metrics(make_item, units):
    from peiyu.core.metrics import get

    late = make_item(number=1, deadline=D(2025, 3, 31))
    on_time = make_item(number=2, deadline=D(2025, 6, 30))
    make_item(number=3, deadline=None)
    Item.objects.filter(pk=on_time.pk).update(state=ItemState.DONE, done_on=D(2025, 6, 20))
    year = Period(2025, "year")
    assert get("ledger.items_overdue").value(units["district"], year) == 1
    assert get("ledger.completion_rate").value(units["district"], year) == 50
    assert get("ledger.items_overdue").value(units["town_a"], year) == 0
    assert late.deadline == D(2025, 3, 31)
