"""Control characters never reach the database, and data already stored cannot block a backup."""

import json
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command

from peiyu.core.models import ApiToken, ObjectChange, User
from peiyu.core.spreadsheets.values import clean_text, parse_code, parse_text
from peiyu.core.testing import make_year
from peiyu.enterprises.dashboard import cached_dashboard_data, dashboard_data
from peiyu.enterprises.models import Enterprise, EnterpriseYear


def test_spreadsheet_cells_lose_control_characters():
    assert clean_text("东丽区\x01 跃进路\x7f 1号\x1b") == "东丽区 跃进路 1号"
    assert parse_text("\x00\x02") is None
    assert parse_code("91120110\x08MA0000001X") == "91120110MA0000001X"


@pytest.mark.django_db
def test_api_and_forms_store_text_without_control_characters(client, client_for, users, enterprises):
    _t, key = ApiToken.objects.issue(users["ent_a"])
    e = enterprises["a"]
    response = client.patch(f"/api/enterprises/{e.pk}", {"address": "跃进路\u00011号", "contact_name": "王\x1f五"},
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["address"] == "跃进路1号"
    e.refresh_from_db()
    assert (e.address, e.contact_name) == ("跃进路1号", "王五")
    assert ObjectChange.objects.filter(after__address="跃进路1号").exists()

    client_for(users["ent_a"]).post(f"/enterprises/{e.pk}/edit/", {"address": "成林道\x0b2号", "contact_phone": "13900000000"})
    e.refresh_from_db()
    assert e.address == "成林道2号"


@pytest.mark.django_db(transaction=True)
def test_backup_is_not_blocked_by_stored_control_characters(tmp_path, enterprises):
    # Rows written before the cleaning existed, or by raw SQL, still hold control characters.
    Enterprise.objects.filter(pk=enterprises["a"].pk).update(address="跃进路\x011号")
    change = ObjectChange.objects.filter(object_id=enterprises["a"].pk).first()
    ObjectChange.objects.filter(pk=change.pk).update(after={**change.after, "address": "跃进路\x011号"})
    path = tmp_path / "backup.zip"
    call_command("backup", str(path))
    call_command("restore", str(path), "--no-input")
    # The backup is exact: what was stored comes back, character for character.
    assert Enterprise.objects.get(uscc=enterprises["a"].uscc).address == "跃进路\x011号"
    assert ObjectChange.objects.get(pk=change.pk).after["address"] == "跃进路\x011号"


@pytest.mark.django_db(transaction=True)
def test_backups_of_the_previous_xml_format_still_restore(tmp_path, enterprises):
    dump = tmp_path / "data.xml"
    call_command("dumpdata", "--all", "--natural-foreign", "--natural-primary", "--format", "xml",
                 exclude=["contenttypes", "auth.permission", "sessions"], output=str(dump), verbosity=0)
    from peiyu.core.backup import model_counts

    path = tmp_path / "old.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "peiyu-backup/1", "counts": model_counts(), "created": "x"}))
        archive.write(dump, "data.xml")
    Enterprise.all_objects.all().delete()
    call_command("restore", str(path), "--no-input")
    assert set(Enterprise.objects.values_list("name", flat=True)) == {"华东科技有限公司", "丰年电子有限公司"}


@pytest.mark.django_db(transaction=True)
def test_dashboard_is_recomputed_after_a_restore(tmp_path, users, enterprises):
    year = make_year(enterprises["a"], 2024, revenue=Decimal("100"))
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    call_command("backup", str(first))
    # A second backup whose rows carry the same ids but other figures (as another day's would).
    EnterpriseYear.objects.filter(pk=year.pk).update(revenue=Decimal("999"))
    call_command("backup", str(second))

    call_command("restore", str(first), "--no-input")
    bureau = User.objects.get(username="bureau")  # users restore by natural key, perhaps under new ids
    assert cached_dashboard_data(bureau) == dashboard_data(bureau)
    call_command("restore", str(second), "--no-input")
    assert cached_dashboard_data(bureau) == dashboard_data(bureau)
