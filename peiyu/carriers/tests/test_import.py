import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from peiyu.carriers import importing
from peiyu.carriers.models import Carrier

HEADER = [
    "序号",
    "载体名称",
    "载体类型",
    "级别",
    "所属单位",
    "运营主体",
    "认定日期",
    "建筑面积（平方米）",
    "在孵企业",
    "库外在孵企业数",
]


def workbook(rows, header=HEADER, title="东丽区创新载体统计表", merges=()):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(["填报单位：东丽区科委"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problems(plan):
    return [(p.row, p.column, p.value) for p in plan.errors]


@pytest.mark.django_db
def test_an_ugly_but_correct_file_is_read_whole(users, units, enterprises):
    content = workbook(
        [
            [
                1,
                "张贵庄孵化器",
                "科技企业孵化器",
                "市级",
                "张贵庄街道",
                "张贵庄运营公司",
                "2021年3月5日",
                "１２,０００",
                enterprises["a"].uscc,
                3,
            ],
            [
                2,
                "张贵庄众创空间",
                "众创空间",
                "区级",
                None,
                "  创业服务中心 ",
                44300,
                None,
                None,
                None,
            ],  # unit merged from above, an Excel date
            [None] * 10,
            [3, "丰年工程中心", "工程技术研究中心", "省级", "120110002", None, "2020-01-02", "—", None, None],
            ["合计", None, None, None, None, None, None, 12000, None, 3],
        ],
        merges=["E4:E5"],
    )
    # the engineering centre needs its host enterprise: add the column
    plan = importing.check_file(content, "ugly.xlsx", users["bureau"])
    assert problems(plan) == [(7, "依托企业", "")]
    header = [*HEADER, "依托企业"]
    rows = [
        [
            1,
            "张贵庄孵化器",
            "科技企业孵化器",
            "市级",
            "张贵庄街道",
            "张贵庄运营公司",
            "2021年3月5日",
            "１２,０００",
            enterprises["a"].uscc,
            3,
            None,
        ],
        [2, "张贵庄众创空间", "众创空间", "区级", None, "  创业服务中心 ", 44300, None, None, None, None],
        [None] * 11,
        [
            3,
            "丰年工程中心",
            "工程技术研究中心",
            "省级",
            "120110002",
            None,
            "2020-01-02",
            "—",
            None,
            None,
            "丰年电子有限公司",
        ],
        ["合计", None, None, None, None, None, None, 12000, None, 3, None],
    ]
    plan = importing.check_file(workbook(rows, header, merges=["E4:E5"]), "ugly.xlsx", users["bureau"])
    assert not plan.errors, [str(p) for p in plan.errors]
    assert plan.counts()["new"] == 3
    assert importing.commit(plan, users["bureau"]) == 3
    a = Carrier.objects.get(name="张贵庄孵化器")
    assert (a.kind, a.level, a.unit, str(a.area), a.incubated_other) == (
        "incubator",
        "city",
        units["town_a"],
        "12000.00",
        3,
    )
    assert list(a.incubated.all()) == [enterprises["a"]]
    space = Carrier.objects.get(name="张贵庄众创空间")
    assert (
        space.unit == units["town_a"]
        and space.operator == "创业服务中心"
        and str(space.recognised_on) == "2021-04-14"
    )
    assert Carrier.objects.get(name="丰年工程中心").enterprise == enterprises["b"]


@pytest.mark.django_db
def test_every_bad_cell_is_named_and_nothing_is_written(users, units, enterprises):
    Carrier.objects.create(
        unit=units["town_b"], name="丰年孵化器", kind="incubator", level="city", recognised_on="2020-01-01"
    )
    content = workbook(
        [
            [1, "甲孵化器", "孵化器", "特级", "张贵庄街道", None, "2021-03-05", None, None, None],
            [2, "乙孵化器", "火箭发射场", "市级", "月球街道", None, "明年", "很大", None, "三个"],
            [3, "甲孵化器", "孵化器", "市级", "张贵庄街道", None, "2021-03-05", -5, "不存在的公司", None],
            [4, "丰年孵化器", "孵化器", "市级", "张贵庄街道", None, "2021-03-05", None, None, None],
            [5, "丙孵化器", "孵化器", "市级", "张贵庄街道", None, "2021-03-05", None, None, None],
        ]
    )
    plan = importing.check_file(content, "bad.xlsx", users["town_a"])
    found = problems(plan)
    assert (4, "级别", "特级") in found
    assert (5, "载体类型", "火箭发射场") in found
    assert (5, "所属单位", "月球街道") in found
    assert (5, "认定日期", "明年") in found
    assert (5, "建筑面积（平方米）", "很大") in found
    assert (5, "库外在孵企业数", "三个") in found
    assert (6, "载体名称", "甲孵化器") in found  # a repeated name
    assert (6, "建筑面积（平方米）", "-5") in found
    assert (6, "在孵企业", "不存在的公司") in found
    assert (7, "载体名称", "丰年孵化器") in found  # exists in town B, outside town A
    texts = " ".join(str(p) for p in plan.errors)
    assert "第 4 行" in texts or "row 4" in texts
    assert "国家级" in texts  # what was expected for the level
    assert importing.commit(plan, users["town_a"]) == 0
    assert Carrier.objects.count() == 1  # row 8 was correct, yet nothing is written


@pytest.mark.django_db
def test_a_known_name_is_updated_and_an_unchanged_row_left_alone(users, units):
    Carrier.objects.create(
        unit=units["town_a"], name="甲孵化器", kind="incubator", level="city", recognised_on="2021-03-05"
    )
    Carrier.objects.create(
        unit=units["town_a"], name="乙孵化器", kind="incubator", level="city", recognised_on="2021-03-05"
    )
    content = workbook(
        [
            [1, "甲孵化器", "孵化器", "省级", "张贵庄街道", None, "2021-03-05", None, None, None],
            [2, "乙孵化器", "孵化器", "市级", "张贵庄街道", None, "2021-03-05", None, None, None],
        ]
    )
    plan = importing.check_file(content, "update.xlsx", users["town_a"])
    assert (plan.counts()["changed"], plan.counts()["unchanged"]) == (1, 1)
    assert plan.rows[0].changes == [("级别", "市级", "省级")]
    importing.commit(plan, users["town_a"])
    assert Carrier.objects.get(name="甲孵化器").level == "provincial"


@pytest.mark.django_db
def test_a_file_without_the_header_is_refused(users):
    content = workbook([["x", "y"]], header=["企业名称", "营业收入"])
    plan = importing.check_file(content, "wrong.xlsx", users["bureau"])
    assert len(plan.errors) == 1 and "载体名称" in plan.errors[0].message
    plan = importing.check_file(b"not a spreadsheet at all", "x.xlsx", users["bureau"])
    assert plan.errors


@pytest.mark.django_db
def test_upload_preview_and_commit_pages(client_for, users, units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(users["town_a"])
    content = workbook(
        [[1, "甲孵化器", "孵化器", "市级", "张贵庄街道", None, "2021-03-05", None, None, None]]
    )
    upload = io.BytesIO(content)
    upload.name = "载体.xlsx"
    response = client.post(reverse("carriers:carrier-import"), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200 and preview.context["can_commit"] and not Carrier.objects.exists()
    # another user cannot open someone else's upload
    assert client_for(users["bureau"]).get(response["Location"]).status_code == 404
    client = client_for(users["town_a"])
    client.post(response["Location"])
    assert Carrier.objects.get().unit == units["town_a"]
    client.post(response["Location"])  # a second click writes nothing more
    assert Carrier.objects.count() == 1
    assert client_for(users["leader"]).get(reverse("carriers:carrier-import")).status_code == 403
    assert client_for(users["bureau"]).get(reverse("carriers:carrier-template")).status_code == 200


@pytest.mark.django_db
def test_the_command_imports_all_or_nothing(users, units, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(
        workbook([[1, "甲孵化器", "孵化器", "市级", "张贵庄街道", None, "2021-03-05", None, None, None]])
    )
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        workbook(
            [
                [1, "乙孵化器", "孵化器", "市级", "张贵庄街道", None, "2021-03-05", None, None, None],
                [2, "丙孵化器", "孵化器", "市级", "无此街道", None, "2021-03-05", None, None, None],
            ]
        )
    )
    with pytest.raises(CommandError):
        call_command("carriers", "import", str(bad))
    assert not Carrier.objects.exists()
    call_command("carriers", "import", str(good), "--dry-run")
    assert not Carrier.objects.exists()
    call_command("carriers", "import", str(good))
    assert Carrier.objects.get().name == "甲孵化器"
    out = tmp_path / "out.xlsx"
    call_command("carriers", "export", str(out))
    assert out.stat().st_size > 0


@pytest.mark.django_db
def test_columns_a_file_lacks_are_kept_on_update(users, units, enterprises):
    centre = Carrier.objects.create(
        unit=units["town_a"],
        name="生产力促进中心",
        kind="productivity_centre",
        level="city",
        centre_scope="general",
        operator="区科委",
        recognised_on="2021-03-05",
        incubated_other=2,
    )
    centre.incubated.add(enterprises["a"])
    content = workbook(
        [["生产力促进中心", "生产力促进中心", "省级"]], header=["载体名称", "载体类型", "级别"]
    )
    plan = importing.check_file(content, "short.xlsx", users["bureau"])
    assert not plan.errors, [str(p) for p in plan.errors]
    assert plan.rows[0].changes == [("级别", "市级", "省级")]
    importing.commit(plan, users["bureau"])
    centre.refresh_from_db()
    assert (centre.level, centre.centre_scope, centre.operator, centre.incubated_other) == (
        "provincial",
        "general",
        "区科委",
        2,
    )
    assert list(centre.incubated.all()) == [enterprises["a"]]
