import datetime
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from peiyu.core.models import ApiToken, ObjectChange, Unit, User
from peiyu.core.testing import make_year
from peiyu.enterprises.models import Enterprise, EnterpriseYear, Qualification


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path, enterprises, users):
    y = make_year(enterprises["a"], 2024, revenue=Decimal("12345.6789"))
    Qualification.objects.create(enterprise=enterprises["a"], kind="hitech", number="GR202412000123", granted_on=datetime.date(2024, 12, 1))
    enterprises["b"].soft_delete()
    ApiToken.objects.issue(users["bureau"])
    before = {
        "units": list(Unit.objects.values_list("code", "path")),
        "users": list(User.objects.values_list("username", "role", "password")),
        "enterprises": list(Enterprise.all_objects.values_list("uscc", "name", "deleted_at").order_by("uscc")),
        "years": list(EnterpriseYear.objects.values_list("revenue", "revenue_band", "stage")),
        "changes": ObjectChange.objects.count(),
        "accounts": list(Enterprise.objects.get(pk=enterprises["a"].pk).accounts.values_list("username", flat=True)),
    }
    path = tmp_path / "peiyu.zip"
    call_command("backup", str(path))
    assert zipfile.ZipFile(path).namelist() == ["manifest.json", "data.json"]

    EnterpriseYear.objects.filter(pk=y.pk).update(revenue=Decimal("1"))
    Enterprise.all_objects.all().delete()
    call_command("restore", str(path), "--no-input")

    assert list(Unit.objects.values_list("code", "path")) == before["units"]
    assert list(User.objects.values_list("username", "role", "password")) == before["users"]
    assert list(Enterprise.all_objects.values_list("uscc", "name", "deleted_at").order_by("uscc")) == before["enterprises"]
    assert list(EnterpriseYear.objects.values_list("revenue", "revenue_band", "stage")) == before["years"]
    assert ObjectChange.objects.count() == before["changes"]
    assert list(Enterprise.objects.get(uscc=enterprises["a"].uscc).accounts.values_list("username", flat=True)) == before["accounts"]
    # Restored rows keep working: a new enterprise gets a fresh id (sequences were reset).
    Enterprise.objects.create(uscc="91350100M000100Y43", name="恢复后新建", unit=Unit.objects.get(code="120110001"))


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not a Peiyu backup"):
        call_command("restore", str(bad), "--no-input")
