"""Pages, exports and their scoping: a town official sees only their own unit's targets, a leader
reads all of theirs, only the bureau sets plans and splits targets."""

import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse

from peiyu.targets.models import ReportedValue, Target
from peiyu.targets.tests.conftest import report

pytestmark = pytest.mark.django_db


def target(plan, units, indicator, unit):
    return Target.objects.get(plan=plan["plan"], indicator=plan[indicator], unit=units[unit])


@pytest.mark.parametrize("who", ["bureau", "leader", "town_a"])
def test_pages_render_for_each_role(client_for, users, units, plan, who):
    client = client_for(users[who])
    own = target(plan, units, "rd", "town_a")
    for url in [
        reverse("targets:dashboard"),
        reverse("targets:plan-list"),
        plan["plan"].get_absolute_url(),
        own.get_absolute_url() + "?as_of=2025-09-30",
        reverse("targets:unit-targets", args=[plan["plan"].pk, units["town_a"].pk]),
        reverse("targets:report-list"),
        reverse("targets:benchmarks"),
        reverse("targets:indicator-list"),
        plan["scheme"].get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "2025-07-01T" not in response.content.decode()


def test_town_official_sees_only_their_own_targets(client_for, users, units, plan):
    client = client_for(users["town_a"])
    page = client.get(plan["plan"].get_absolute_url()).content.decode()
    assert "张贵庄街道" in page and "丰年村街道" not in page
    assert client.get(target(plan, units, "rd", "town_b").get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("targets:unit-targets", args=[plan["plan"].pk, units["town_b"].pk])).status_code
        == 404
    )
    assert client.get(target(plan, units, "rd", "district").get_absolute_url()).status_code == 404
    dashboard = client.get(reverse("targets:dashboard")).content.decode()
    assert "丰年村街道" not in dashboard
    ranking = client.get(plan["scheme"].get_absolute_url()).content.decode()
    assert "丰年村街道" not in ranking
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("targets:plan-export", args=[plan["plan"].pk])).content)
    )
    cells = {c.value for row in workbook.active.iter_rows() for c in row}
    assert "张贵庄街道" in cells and "丰年村街道" not in cells
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("targets:scheme-export", args=[plan["scheme"].pk, "xlsx"])).content)
    )
    assert "丰年村街道" not in {c.value for row in sheet["排名"].iter_rows() for c in row}


def test_only_bureau_sets_plans_and_splits(client_for, users, units, plan):
    parent = target(plan, units, "rd", "district")
    for who in ("leader", "town_a"):
        client = client_for(users[who])
        assert client.get(reverse("targets:plan-add")).status_code == 403
        assert client.get(reverse("targets:target-split", args=[parent.pk])).status_code in (403, 404)
        assert client.post(reverse("targets:target-edit", args=[parent.pk]), {"floor": "1"}).status_code in (
            403,
            404,
        )
    assert (
        client_for(users["leader"]).get(reverse("targets:target-split", args=[parent.pk])).status_code == 403
    )
    assert client_for(users["expert"]).get(reverse("targets:dashboard")).status_code == 403


def test_decomposition_editor_refuses_a_split_that_does_not_add_up(client_for, users, units, plan):
    parent = target(plan, units, "rd", "district")
    client = client_for(users["bureau"])
    url = reverse("targets:target-split", args=[parent.pk])
    assert "张贵庄街道" in client.get(url).content.decode()
    a, b = units["town_a"].pk, units["town_b"].pk
    response = client.post(
        url,
        {
            "method": "manual",
            "action": "save",
            f"floor-{a}": "10",
            f"stretch-{a}": "11",
            f"floor-{b}": "8",
            f"stretch-{b}": "9",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "19" in page and "Nothing was saved" in page or "未保存" in page
    assert target(plan, units, "rd", "town_a").floor == D(12)
    response = client.post(url, {"method": "even", "action": "propose"})
    assert 'value="9.5"' in response.content.decode()
    response = client.post(
        url,
        {
            "method": "manual",
            "action": "save",
            f"floor-{a}": "11",
            f"stretch-{a}": "11",
            f"floor-{b}": "8",
            f"stretch-{b}": "9",
        },
    )
    assert response.status_code == 302
    assert target(plan, units, "rd", "town_a").floor == D(11)


def test_reporting_checks_the_unit_and_goes_through_review(client_for, users, units, plan):
    client = client_for(users["town_a"])
    data = {
        "indicator": plan["rd"].pk,
        "unit": units["town_a"].pk,
        "period_code": "2025-09",
        "value": "9.5",
        "measure": "万元",
    }
    response = client.post(reverse("targets:report-add"), data)
    assert response.status_code == 200 and not ReportedValue.objects.exists()
    data["unit"] = units["town_b"].pk  # another town: not a choice
    data["measure"] = "亿元"
    assert (
        client.post(reverse("targets:report-add"), data).status_code == 200
        and not ReportedValue.objects.exists()
    )
    data["unit"] = units["town_a"].pk
    assert client.post(reverse("targets:report-add"), data).status_code == 302
    value = ReportedValue.objects.get()
    assert value.state == "submitted" and value.submitted_by == users["town_a"]
    from peiyu.core.workflows import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        value.apply_transition("accept", users["town_a"])
    value.apply_transition("return", users["bureau"], comment="口径不符，请按统计局数据填报")
    value.apply_transition("resubmit", users["town_a"])
    value.apply_transition("accept", users["bureau"])
    assert client.get(value.get_absolute_url()).status_code == 200
    assert client_for(users["town_b"]).get(value.get_absolute_url()).status_code == 404


def test_scheme_exports_in_both_formats(client_for, users, units, plan):
    report(plan["rd"], units["town_a"], "2025", "12")
    client = client_for(users["leader"])
    xlsx = client.get(reverse("targets:scheme-export", args=[plan["scheme"].pk, "xlsx"]))
    assert xlsx.status_code == 200 and "filename*=utf-8''" in xlsx["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["评分表", "排名"]
    docx = client.get(reverse("targets:scheme-export", args=[plan["scheme"].pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert client.get(reverse("targets:scheme-export", args=[plan["scheme"].pk, "pdf"])).status_code == 404
