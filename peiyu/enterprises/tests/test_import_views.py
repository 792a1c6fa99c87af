"""Import pages: upload → preview → commit → batch → undo, permissions, size limit, templates, progress."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peiyu.core.jobs import runner
from peiyu.core.models import ImportBatch, Job
from peiyu.core.testing import make_uscc
from peiyu.enterprises.importing import ImportOptions, run_import
from peiyu.enterprises.models import Enterprise
from peiyu.enterprises.tests.test_import import HEAD, years_file

pytestmark = pytest.mark.usefixtures("english_uploads")


def upload(client, data, name="towns.xlsx", **fields):
    return client.post(reverse("import-new"), {"file": SimpleUploadedFile(name, data), **fields})


def test_upload_preview_commit_and_undo(client_for, users, enterprises):
    client = client_for(users["bureau"])
    code = make_uscc()
    data = years_file([code, "新星科技有限公司", 2024, "张贵庄街道", 100, 5, 80, 10, 3],
                      [enterprises["a"].uscc[:17] + "0", "坏码", 2024, "张贵庄街道", 1, 0, 1, 1, 0])
    response = upload(client, data)
    assert response.status_code == 302
    preview = client.get(response.url)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "新星科技有限公司" in text and "wrong check character" in text and "Write the valid rows, skip 1 with errors" in text
    assert "wrong check character" in client.get(response.url + "?status=error").content.decode()
    token = response.url.rstrip("/").split("/")[-1]
    committed = client.post(reverse("import-commit", args=[token]))
    batch = ImportBatch.objects.get()
    assert client.get(committed.url).url == reverse("import-batch", args=[batch.pk])
    assert Enterprise.objects.filter(uscc=code).exists()
    page = client.get(reverse("import-batch", args=[batch.pk])).content.decode()
    assert "新星科技有限公司 2024" in page and "Undo this import" in page
    client.post(reverse("import-undo", args=[batch.pk]))
    assert not Enterprise.objects.filter(uscc=code).exists()
    batch.refresh_from_db()
    assert batch.status == "undone"


def test_who_may_import_and_undo(client_for, users, enterprises):
    run_import(years_file([make_uscc(), "甲", 2024, "张贵庄街道", 1, None, None, 1, 0]), "x.xlsx", ImportOptions(user=users["bureau"], dry_run=False))
    batch = ImportBatch.objects.get()
    for name in ("leader", "expert", "ent_a"):
        assert client_for(users[name]).get(reverse("import-new")).status_code == 403
    town = client_for(users["town_a"])
    assert town.get(reverse("import-new")).status_code == 200
    assert town.get(reverse("import-batch", args=[batch.pk])).status_code == 404  # not their batch
    assert town.post(reverse("import-undo", args=[batch.pk])).status_code == 404  # not theirs to know of
    assert "x.xlsx" not in town.get(reverse("import-list")).content.decode()


def test_preview_belongs_to_its_uploader(client_for, users, enterprises):
    response = upload(client_for(users["bureau"]), years_file([make_uscc(), "甲", 2024, "张贵庄街道", 1, None, None, 1, 0]))
    assert client_for(users["town_a"]).get(response.url).status_code == 404


def test_upload_size_limit(client_for, users, settings, db):
    settings.PEIYU_UPLOAD_MAX_BYTES = 10_000
    response = upload(client_for(users["bureau"]), b"x" * 50_000, "big.csv")
    assert response.status_code == 413 and "larger than" in response.content.decode()


def test_not_a_spreadsheet_upload_shows_a_clear_error(client_for, users, db):
    client = client_for(users["bureau"])
    response = upload(client, b"%PDF-1.4\x00\x01\x02" * 100, "report.xlsx")
    assert "not a spreadsheet" in client.get(response.url).content.decode()


def test_templates_download_and_import_with_nothing_to_do(client_for, users, enterprises):
    client = client_for(users["bureau"])
    for kind in ("years", "qualifications"):
        response = client.get(reverse("import-template", args=[kind]))
        data = b"".join(response.streaming_content)
        report = run_import(data, "t.xlsx", ImportOptions(user=users["bureau"]))
        assert report.rows == [] and report.skipped_rows == 1 and not report.failed  # the example row is skipped
        assert report.sheets[0]["columns"][:2] == ["统一社会信用代码", "企业名称"]


def test_progress_page_polls_until_done(client_for, users, db):
    client = client_for(users["bureau"])
    response = upload(client, years_file([make_uscc(), "甲", 2024, "张贵庄街道", 1, None, None, 1, 0]))
    token = response.url.rstrip("/").split("/")[-1]
    job = Job.objects.get(key=f"{token}-preview")
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)  # as if a worker were still checking it
    cache.set(runner.progress_key(job.pk), {"phase": "checking", "done": 500, "total": 1000})
    page = client.get(response.url).content.decode()
    assert "500 / 1000" in page and reverse("import-progress", args=[token]) in page
    assert "width: 50%" in client.get(reverse("import-progress", args=[token])).content.decode()
    Job.objects.filter(pk=job.pk).update(state=Job.State.DONE)
    assert client.get(reverse("import-progress", args=[token]))["HX-Refresh"] == "true"


def test_import_check_and_commit_are_jobs_of_the_uploader(client_for, users, db):
    client = client_for(users["bureau"])
    response = upload(client, years_file([make_uscc(), "甲", 2024, "张贵庄街道", 1, None, None, 1, 0]))
    token = response.url.rstrip("/").split("/")[-1]
    client.post(reverse("import-commit", args=[token]))
    preview, commit = Job.objects.order_by("pk")
    assert (preview.kind, preview.params["dry_run"], preview.state, preview.user) == ("enterprise-import", True, "done", users["bureau"])
    assert (commit.params["dry_run"], commit.state, commit.result["written"], commit.result["counts"]["new"]) == (False, "done", True, 1)
    listing = client.get(reverse("job-list")).content.decode()
    assert reverse("import-batch", args=[commit.result["batch"]]) in listing and "1 new and 0 changed rows written, 0 rows with errors" in listing


def test_header_constant_is_the_template_start():
    assert HEAD[:4] == ["统一社会信用代码", "企业名称", "年度", "所属单位"]
