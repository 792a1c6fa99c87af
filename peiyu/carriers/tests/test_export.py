import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from peiyu.carriers import importing


def rows(response):
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


@pytest.mark.django_db
def test_export_follows_scope_and_filters(client_for, users, carriers):
    url = reverse("carriers:carrier-export")
    data = rows(client_for(users["bureau"]).get(url))
    assert data[1][:3] == ["载体名称", "载体类型", "级别"]
    assert sorted(r[0] for r in data[2:]) == ["丰年众创空间", "张贵庄孵化器", "科技园研发中心"]
    assert [r[0] for r in rows(client_for(users["town_b"]).get(url))[2:]] == ["丰年众创空间"]
    assert [r[0] for r in rows(client_for(users["bureau"]).get(url, {"kind": "rd_centre"}))[2:]] == [
        "科技园研发中心"
    ]
    assert [r[0] for r in rows(client_for(users["ent_a"]).get(url))[2:]] == ["张贵庄孵化器"]


@pytest.mark.django_db
def test_an_export_imports_again_unchanged(client_for, users, carriers):
    content = client_for(users["bureau"]).get(reverse("carriers:carrier-export")).content
    plan = importing.check_file(content, "export.xlsx", users["bureau"])
    assert not plan.errors, [str(p) for p in plan.errors]
    assert plan.counts()["unchanged"] == 3 and not plan.ready
