"""Who sees, undoes and downloads import batches (issue 7 points 9, 16, 19, 21, 26): batches are
scoped to the enterprises they touched, across districts and roles."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from peiyu.core.choices import Role, UnitKind
from peiyu.core.models import ImportBatch, Unit
from peiyu.core.testing import make_enterprise, make_uscc, make_user, make_year
from peiyu.enterprises.importing import ImportOptions, run_import
from peiyu.enterprises.models import Enterprise
from peiyu.enterprises.tests.test_import import HEAD, years_file
from peiyu.enterprises.tests.test_import_views import upload

pytestmark = pytest.mark.usefixtures("english_uploads")


@pytest.fixture
def hexi(units):
    """A second district of the same city with its own bureau user and town official."""
    district = Unit.objects.create(name="河西区", code="120103", kind=UnitKind.DISTRICT, parent=units["city"])
    town = Unit.objects.create(name="友谊路街道", code="120103001", kind=UnitKind.STREET, parent=district)
    return {"district": district, "town": town, "bureau": make_user("hexi_bureau", Role.BUREAU, district),
            "official": make_user("hexi_town", Role.UNIT, town)}


def commit(rows, user, head=HEAD, **options):
    return run_import(years_file(*rows, head=head), "first.xlsx", ImportOptions(user=user, dry_run=False, **options))


def urls(batch):
    return {
        "detail": reverse("import-batch", args=[batch.pk]),
        "rejected": reverse("import-batch-rejected", args=[batch.pk, "years"]),
    }


def test_another_districts_bureau_cannot_list_open_undo_or_download_a_batch(client_for, users, enterprises, hexi):
    report = commit([[enterprises["a"].uscc, "华东科技有限公司", 2024, None, 500, 10, 400, 20, 5],
                     [make_uscc(), "没有单位的公司", 2024, None, 1, None, None, 1, 0]], users["bureau"])
    batch = ImportBatch.objects.get(pk=report.batch)
    client = client_for(hexi["bureau"])
    assert "first.xlsx" not in client.get(reverse("import-list")).content.decode()
    assert client.get(urls(batch)["detail"]).status_code == 404
    assert client.get(urls(batch)["rejected"]).status_code == 404
    assert client.post(reverse("import-undo", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert enterprises["a"].years.get(year=2024).revenue == 500
    # the district's own bureau and the administrator still see it
    for user in (users["bureau"], users["admin"]):
        assert "first.xlsx" in client_for(user).get(reverse("import-list")).content.decode()
        assert client_for(user).get(urls(batch)["detail"]).status_code == 200


def test_a_batch_touching_two_towns_is_hidden_from_each_town(client_for, users, enterprises):
    report = commit([[enterprises["a"].uscc, "华东科技有限公司", 2024, None, 500, 10, 400, 20, 5],
                     [enterprises["b"].uscc, "丰年电子有限公司", 2024, None, 600, 10, 400, 20, 5]], users["bureau"])
    batch = ImportBatch.objects.get(pk=report.batch)
    assert set(ImportBatch.objects.for_user(users["bureau"])) == {batch}
    assert not ImportBatch.objects.for_user(users["town_a"]).exists()
    assert not ImportBatch.objects.for_user(users["leader"]).exists()  # read-only roles do not import


def test_moving_an_enterprise_keeps_the_batch_from_both_units(users, enterprises, hexi):
    """The unit an enterprise had before the import counts as well as the one after: a batch moving
    华东 from town A to town B is neither town's alone."""
    report = commit([[enterprises["a"].uscc, "华东科技有限公司", 2024, "丰年村街道", 500, 10, 400, 20, 5]], users["bureau"])
    batch = ImportBatch.objects.get(pk=report.batch)
    assert {(s.unit_id, s.park_id) for s in batch.scope.all()} == {(enterprises["a"].unit_id, None), (enterprises["b"].unit_id, None)}
    assert not ImportBatch.objects.for_user(users["town_b"]).exists()


def test_unit_staff_undo_their_own_batch_but_not_the_bureaus(client_for, users, enterprises):
    own = ImportBatch.objects.get(pk=commit([[enterprises["a"].uscc, "华东科技有限公司", 2024, None, 500, 10, 400, 20, 5]], users["town_a"]).batch)
    bureau = ImportBatch.objects.get(pk=commit([[enterprises["a"].uscc, "华东科技有限公司", 2023, None, 5, 1, 4, 2, 1]], users["bureau"]).batch)
    client = client_for(users["town_a"])
    page = client.get(urls(own)["detail"]).content.decode()
    assert "Undo this import" in page
    assert client.post(reverse("import-undo", args=[bureau.pk])).status_code == 404
    # the later batch (2023) does not touch the 2024 row, so the town's own batch undoes cleanly
    client.post(reverse("import-undo", args=[own.pk]))
    own.refresh_from_db()
    assert own.status == "undone"
    assert not enterprises["a"].years.filter(year=2024).exists()


def test_rejected_rows_download_as_a_template_that_imports_again(client_for, users, enterprises):
    code = make_uscc()
    report = commit([[enterprises["a"].uscc, "华东科技有限公司", 2024, None, 500, 10, 400, 20, 5],
                     [code, "新建公司", 2024, "张贵庄街道", "1,200.5", "很多", 400, 20, 5],
                     [enterprises["b"].uscc, "丰年电子有限公司", 2024, None, 1, None, None, 1, 0]], users["town_a"])
    batch = ImportBatch.objects.get(pk=report.batch)
    response = client_for(users["town_a"]).get(urls(batch)["rejected"])
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    header = rows[1]
    assert header[:3] == ["统一社会信用代码", "企业名称", "年度"] and header[-2:] == ["原行号", "错误说明"]
    assert [row[0] for row in rows[2:]] == [code, enterprises["b"].uscc]
    fixed = rows[2]
    assert fixed[header.index("营业收入(万元)")] == 1200.5 and fixed[header.index("研发费用(万元)")] == "很多"
    assert "is not a number" in fixed[-1] and fixed[-2] == "年度指标 4"
    assert "outside your responsibility" in rows[3][-1]
    assert rows[3][1] == "丰年电子有限公司"  # the name typed in the file, not read from the library
    # corrected, the file imports with the error column ignored
    fixed[header.index("研发费用(万元)")] = 12
    again = run_import(_xlsx([rows[0], header, fixed]), "fixed.xlsx", ImportOptions(user=users["town_a"], dry_run=False))
    assert not again.errors and Enterprise.objects.filter(uscc=code).exists()


def _xlsx(rows):
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("数据")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value not in (None, ""):
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def test_preview_offers_the_rejected_rows_too(client_for, users, enterprises):
    client = client_for(users["town_a"])
    response = upload(client, years_file([make_uscc(), "新建公司", 2024, "张贵庄街道", "坏", None, None, 1, 0]))
    token = response.url.rstrip("/").split("/")[-1]
    link = reverse("import-preview-rejected", args=[token, "years"])
    assert link in client.get(response.url).content.decode()
    assert client.get(link).status_code == 200
    assert client_for(users["town_b"]).get(link).status_code == 404


def test_park_of_another_street_is_refused_like_the_form(users, enterprises, units):
    town_b_park = Unit.objects.create(name="丰年科技园", code="120110002P1", kind=UnitKind.PARK, parent=units["town_b"])
    head = [*HEAD, "所属园区"]
    row = [enterprises["a"].uscc, "华东科技有限公司", 2024, None, 500, 10, 400, 20, 5, "丰年科技园"]
    new = [make_uscc(), "新建公司", 2024, "张贵庄街道", 1, None, None, 1, 0, "丰年科技园"]
    report = commit([row, new], users["town_a"], head=head)
    assert [(r.row, r.status) for r in report.rows] == [(3, "error"), (4, "error")]
    assert {p.message for p in report.errors} == {"is outside the units you are responsible for"}
    enterprises["a"].refresh_from_db()
    assert enterprises["a"].park_id is None and not Enterprise.objects.filter(park=town_b_park).exists()
    # the park of their own street is fine
    own = [enterprises["a"].uscc, "华东科技有限公司", 2024, None, 500, 10, 400, 20, 5, "张贵庄科技园"]
    assert not commit([own], users["town_a"], head=head).errors


def test_preview_shows_only_the_code_of_an_enterprise_outside_scope(users, enterprises, hexi):
    foreign = make_enterprise(hexi["town"], "河西机密科技有限公司")

    make_year(foreign, 2024)
    report = run_import(years_file([foreign.uscc, None, 2024, None, 1, 1000000, None, 1, 0]), "x.xlsx",
                        ImportOptions(user=users["bureau"]))
    [row] = report.rows
    assert row.status == "error" and row.key == foreign.uscc
    assert "河西机密" not in row.label and not any("河西机密" in m for m in row.messages)
    # the stored figures of another district's enterprise are not compared (and so not shown) either
    assert [p.message for p in report.errors] == ["this enterprise belongs to a unit outside your responsibility"]


def test_committing_one_preview_twice_writes_one_batch(client_for, users, enterprises):
    client = client_for(users["bureau"])
    response = upload(client, years_file([make_uscc(), "新星科技有限公司", 2024, "张贵庄街道", 100, 5, 80, 10, 3]))
    token = response.url.rstrip("/").split("/")[-1]
    first = client.post(reverse("import-commit", args=[token]))
    second = client.post(reverse("import-commit", args=[token]))
    assert first.status_code == second.status_code == 302
    assert ImportBatch.objects.count() == 1
    assert client.get(second.url).url == reverse("import-batch", args=[ImportBatch.objects.get().pk])


def test_commit_claim_is_atomic_across_threads(tmp_path, settings, users):
    """Two workers claiming the same preview at once: exactly one wins."""
    from concurrent.futures import ThreadPoolExecutor

    from peiyu.core.spreadsheets import uploads

    upload_ = uploads.Upload("a" * 32, {"file_name": "x.csv"})
    upload_.folder.mkdir(parents=True)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _n: upload_.claim("commit"), range(32)))
    assert results.count(True) == 1
    upload_.release("commit")
    assert upload_.claim("commit")


@pytest.mark.parametrize(("language", "names", "limit"), [
    ("en", ["Enterprise-year import template.xlsx", "Qualification import template.xlsx"], "20 MB"),
    ("zh-hans", ["年度指标导入模板.xlsx", "资质导入模板.xlsx"], "20 MB"),
])
def test_template_names_and_the_upload_limit_read_in_one_language(client_for, users, db, language, names, limit):
    from urllib.parse import unquote

    client = client_for(users["bureau"])
    client.cookies["django_language"] = language
    for kind, name in zip(("years", "qualifications"), names, strict=True):
        disposition = client.get(reverse("import-template", args=[kind]))["Content-Disposition"]
        assert name in unquote(disposition)
    assert limit in client.get(reverse("import-new")).content.decode()


def test_batch_pages_name_kinds_and_fields_in_chinese(client_for, users, enterprises):
    users["bureau"].full_name = "王立新"
    users["bureau"].save()
    report = commit([[enterprises["a"].uscc, "华东科技新名称", 2024, None, 500, 10, 400, 20, 5]], users["bureau"])
    client = client_for(users["bureau"])
    client.cookies["django_language"] = "zh-hans"
    listing = client.get(reverse("import-list")).content.decode()
    assert "年度指标" in listing and "years" not in listing.split("<tbody>")[1] and "王立新" in listing
    page = client.get(reverse("import-batch", args=[report.batch])).content.decode()
    assert "名称" in page and "营业收入" in page and "王立新" in page
    assert "unit_id" not in page and ", name" not in page and "revenue" not in page


def test_a_cross_check_on_a_stored_figure_names_its_column_in_chinese(users, enterprises):
    make_year(enterprises["a"], 2024, hitech_revenue=900)
    report = commit([[enterprises["a"].uscc, "华东科技有限公司", 2024, None, 500, 10, 400, 20, 5]], users["bureau"])
    [problem] = report.errors
    assert problem.column == "高新技术产品(服务)收入(万元)"
