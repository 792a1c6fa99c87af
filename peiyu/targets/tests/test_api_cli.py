"""The JSON API and the `peiyu targets` command, scoped like the pages."""

import io
import json
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from peiyu.core.models import ApiToken
from peiyu.targets.models import ReportedValue, Snapshot
from peiyu.targets.tests.conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, users):
    def as_user(name):
        _t, key = ApiToken.objects.issue(users[name])
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

        class Api:
            def get(self, url, **params):
                return client.get(url, params, **headers)

            def post(self, url, data):
                return client.post(url, data, content_type="application/json", **headers)

        return Api()

    return as_user


def test_targets_with_progress_are_scoped(api, plan, units):
    report(plan["rd"], units["town_a"], "2025-09", "9.5")
    url = f"/api/targets/plans/{plan['plan'].pk}/targets"
    rows = api("bureau").get(url, as_of="2025-09-30").json()["items"]
    assert len(rows) == 6
    town = api("town_a").get(url, as_of="2025-09-30", forecast="true").json()["items"]
    assert {r["unit_name"] for r in town} == {"张贵庄街道"}
    rd = next(r for r in town if r["indicator"] == "rd")
    assert (
        D(rd["actual"]) == D("9.5") and D(rd["elapsed"]) == D("75.40") and rd["light"] == "green"
    )  # 79.17 % done, 75.40 % elapsed
    hidden = next(r for r in rows if r["unit_name"] == "丰年村街道")["id"]
    assert api("town_a").get(f"/api/targets/targets/{hidden}").status_code == 404
    assert api("town_b").get(f"/api/targets/targets/{rd['id']}").status_code == 404
    assert api("expert").get(url).status_code == 403


def test_assessment_results_in_the_api(api, plan, units):
    report(plan["rd"], units["town_a"], "2025", "12")
    results = api("leader").get(f"/api/targets/schemes/{plan['scheme'].pk}/results").json()
    assert [r["unit_name"] for r in results] == ["张贵庄街道", "丰年村街道"]
    assert (
        api("town_b").get(f"/api/targets/schemes/{plan['scheme'].pk}/results").json()[0]["unit_name"]
        == "丰年村街道"
    )


def test_reporting_through_the_api(api, plan, units):
    data = {
        "indicator": plan["rd"].pk,
        "unit": units["town_a"].pk,
        "period": "2025-09",
        "value": "9.5",
        "measure": "万元",
    }
    refused = api("town_a").post("/api/targets/reports", data)
    assert refused.status_code == 422 and "亿元" in refused.json()["detail"]
    assert api("leader").post("/api/targets/reports", {**data, "measure": "亿元"}).status_code == 403
    created = api("town_a").post("/api/targets/reports", {**data, "measure": "亿元"})
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api("town_a").post(f"/api/targets/reports/{pk}/accept", {}).status_code == 403
    assert api("bureau").post(f"/api/targets/reports/{pk}/accept", {}).json()["state"] == "accepted"
    assert ReportedValue.objects.get().state == "accepted"


def test_cli_progress_and_snapshot(plan, units, tmp_path, capsys):
    report(plan["rd"], units["town_a"], "2025-09", "9.5")
    call_command("targets", "progress", "--plan", "P2025", "--unit", "120110001", "--as-of", "2025-09-30")
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2025-09-30" and {t["unit"] for t in out["targets"]} == {"120110001"}
    path = tmp_path / "progress.xlsx"
    call_command(
        "targets",
        "progress",
        "--plan",
        "P2025",
        "--format",
        "xlsx",
        "--output",
        str(path),
        "--as-of",
        "2025-09-30",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet.max_row == 3 + 6  # title, blank, heading, six targets
    with pytest.raises(CommandError):
        call_command("targets", "progress", "--plan", "NOPE")
    call_command("targets", "snapshot", "--period", "2025-Q3")
    assert Snapshot.objects.filter(period_code="2025-Q3").count() == 6
    with pytest.raises(CommandError):
        call_command("targets", "snapshot", "--period", "2025")


def test_month_end_task_takes_month_and_quarter(plan):
    import datetime as dt

    from peiyu.targets.tasks import finished_periods

    assert [p.code for p in finished_periods(dt.date(2025, 10, 1))] == ["2025-09", "2025-Q3"]
    assert [p.code for p in finished_periods(dt.date(2025, 8, 1))] == ["2025-07"]
    assert finished_periods(dt.date(2025, 8, 2)) == []
