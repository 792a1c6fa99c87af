"""The demo district: seed 001's 2009 figures exactly, the same data on every load, valid codes,
the model's rules kept, working accounts, and bulk generation for benchmarks."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum

from peiyu.core.choices import Role, UnitKind
from peiyu.core.codes import uscc_org_code_warning, uscc_problem
from peiyu.core.models import ObjectChange, Unit, User
from peiyu.core.testing import make_district, make_enterprise, make_user
from peiyu.demo import loader
from peiyu.demo.accounts import ACCOUNTS, PASSWORD
from peiyu.demo.bulk import create_bulk
from peiyu.demo.reset import delete_with_dependants, history_muted, wipe
from peiyu.enterprises.choices import EnterpriseStatus, QualificationKind, RevenueBand
from peiyu.enterprises.models import PART_OF, Enterprise, EnterpriseYear, Qualification
from peiyu.enterprises.pinyin import initials

pytestmark = pytest.mark.django_db


def run_demo(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Every load hashes the demo password; the slow production hasher proves nothing more here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def district_only(request, monkeypatch):
    """The district alone, unless a test asks for every app's demo too: each app tests its own demo,
    and loading them all in every test here would cost minutes."""
    if "every_app" not in request.keywords:
        monkeypatch.setattr(loader, "load_demos", lambda: None)


@pytest.fixture
def demo():
    return run_demo()


def snapshot() -> dict:
    years = EnterpriseYear.objects.values("year").annotate(
        revenue=Sum("revenue"), staff=Sum("employees"), rd=Sum("rd_expense")
    )
    return {
        "uscc": list(Enterprise.objects.order_by("pk").values_list("uscc", flat=True)),
        "names": list(
            Enterprise.objects.order_by("uscc").values_list("name", "unit__code", "cadre__username")
        ),
        "years": sorted((y["year"], y["revenue"], y["staff"], y["rd"]) for y in years),
        "qualifications": list(
            Qualification.objects.order_by("number", "kind", "enterprise__uscc").values_list(
                "enterprise__uscc", "kind", "number", "granted_on", "valid_until"
            )
        ),
    }


def test_2009_matches_seed_001(demo):
    year = EnterpriseYear.objects.filter(year=2009)
    totals = year.aggregate(
        n=Count("pk"),
        revenue=Sum("revenue"),
        hitech=Sum("hitech_revenue"),
        assets=Sum("total_assets"),
        taxes=Sum("taxes"),
        rd=Sum("rd_expense"),
        staff=Sum("employees"),
        college=Sum("college_staff"),
        tech=Sum("tech_staff"),
        invention=Sum("invention_patents"),
        utility=Sum("utility_patents"),
        design=Sum("design_patents"),
    )
    assert totals["n"] == 520
    assert totals["assets"] == Decimal("4914600")  # 491.46亿元
    assert totals["revenue"] == Decimal("3627100")  # 362.71亿元
    assert totals["hitech"] == Decimal("1835400")  # 183.54亿元
    assert totals["taxes"] == Decimal("356000")  # 35.6亿元
    assert totals["rd"] == Decimal("176300")  # 17.63亿元
    assert totals["staff"] == 49676
    assert totals["college"] == 13033
    assert totals["tech"] == 12875
    assert totals["invention"] == 103
    assert totals["utility"] + totals["design"] == 892
    assert totals["invention"] + totals["utility"] + totals["design"] == 995
    assert Enterprise.objects.filter(years__year=2009).exclude(emerging_industry="").count() == 211


def test_2009_revenue_bands_come_from_the_database(demo):
    bands = dict(EnterpriseYear.objects.filter(year=2009).values_list("revenue_band").annotate(Count("pk")))
    assert bands == {
        RevenueBand.FROM_1B: 3,
        RevenueBand.FROM_300M_TO_1B: 14,
        RevenueBand.FROM_100M_TO_300M: 31,
        RevenueBand.FROM_5M_TO_100M: 270,
        RevenueBand.UNDER_5M: 202,
    }


def test_every_load_writes_the_same_data(demo):
    first = snapshot()
    run_demo("--reset")
    assert snapshot() == first
    assert len(first["uscc"]) == 520


def test_if_empty_loads_once_then_keeps_what_is_there():
    first = run_demo("--if-empty")
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    second = run_demo("--if-empty")
    assert list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)) == ids
    assert Unit.objects.filter(code="120110").count() == 1
    assert "Peiyu@2026" in first and "Peiyu@2026" in second


def test_plain_load_refuses_a_database_with_data():
    make_district()
    with pytest.raises(CommandError):
        run_demo()


def test_reset_wipes_the_domain_data():
    units = make_district()
    make_enterprise(units["town_a"], "旧数据科技有限公司")
    make_user("someone", Role.BUREAU, units["district"])
    assert ObjectChange.objects.exists()
    run_demo("--reset")
    assert not Enterprise.objects.filter(name="旧数据科技有限公司").exists()
    assert not User.objects.filter(username="someone").exists()
    # The old history is gone; what remains records the demo's own units and accounts being created.
    assert not ObjectChange.objects.filter(object_repr__in=["旧数据科技有限公司", "someone"]).exists()
    assert not ObjectChange.objects.filter(action="delete").exists()
    assert Enterprise.objects.count() == 520


def test_reset_removes_attachments_and_their_files(tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    from peiyu.core.departments import assign_responsibility
    from peiyu.core.models import Attachment, Responsibility

    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))
    units = make_district()
    enterprise = make_enterprise(units["town_a"], "旧数据科技有限公司")
    attachment = Attachment(owner=enterprise, name="证书.pdf", size=5, sha256="0" * 64)
    attachment.file.save("证书.pdf", ContentFile(b"%PDF-"), save=True)
    old = assign_responsibility(enterprise, persons=[make_user("someone", Role.BUREAU, units["district"])])
    with django_capture_on_commit_callbacks(execute=True):
        run_demo("--reset")
    # The reloaded demo may hold responsibilities of its own (the ledger's items): the old one is gone.
    assert not Attachment.objects.exists() and not Responsibility.objects.filter(pk=old.pk).exists()
    assert not (tmp_path / attachment.file.name).exists()


def test_wiping_a_unit_first_clears_what_protects_it():
    units = make_district()  # town A holds a park and, below, an enterprise: both protect it
    make_enterprise(units["town_a"], "旧数据科技有限公司")
    with history_muted():
        delete_with_dependants(Unit.objects.filter(pk=units["town_a"].pk))
    assert not Unit.objects.filter(pk__in=[units["town_a"].pk, units["park_a"].pk]).exists()
    assert not Enterprise.all_objects.exists()
    assert not ObjectChange.objects.filter(action="delete").exists()


def test_credit_codes_are_valid_and_mixed(demo):
    codes = list(Enterprise.objects.values_list("uscc", flat=True))
    assert [c for c in codes if uscc_problem(c)] == []
    assert all(c.startswith("91120110") for c in codes)
    legacy = [c for c in codes if not c[8:10] == "MA"]
    assert [c for c in legacy if uscc_org_code_warning(c)] == []
    assert 0 < len(legacy) < len(codes)
    assert len(set(Enterprise.objects.values_list("name", flat=True))) == 520


def test_the_model_rules_hold_for_every_row(demo):
    years = EnterpriseYear.objects.all()
    for part, whole in PART_OF:
        assert not years.filter(**{f"{part}__gt": F(whole)}).exists(), (part, whole)
    assert not years.filter(net_assets__gte=F("total_assets")).exists()
    assert not years.filter(
        Q(revenue__lt=0) | Q(hitech_revenue__lt=0) | Q(rd_expense__lt=0) | Q(taxes__lt=0)
    ).exists()
    assert 0 < years.filter(profit__lt=0).count() < years.count() / 10
    for year in random.Random(1).sample(list(years.select_related("enterprise")), 200):
        year.full_clean()
    for enterprise in Enterprise.objects.all()[:100]:
        enterprise.full_clean()
        assert enterprise.name_initials == initials(enterprise.name)
    assert not Qualification.objects.filter(valid_until__lt=F("granted_on")).exists()


def test_units_streets_zones_and_parks(demo):
    district = Unit.objects.get(code="120110", kind=UnitKind.DISTRICT)
    assert district.parent.code == "120000"
    streets = Unit.objects.filter(parent=district, kind=UnitKind.STREET)
    assert streets.count() == 11 and streets.filter(name="张贵庄街道").exists()
    assert Unit.objects.filter(parent=district, kind=UnitKind.ZONE).count() >= 3
    parks = Unit.objects.filter(kind=UnitKind.PARK)
    assert (
        parks.count() >= 5 and not parks.exclude(parent__kind__in=[UnitKind.STREET, UnitKind.ZONE]).exists()
    )
    in_zones = Enterprise.objects.filter(unit__kind=UnitKind.ZONE).count()
    assert in_zones > Enterprise.objects.filter(unit__kind=UnitKind.STREET).count()


def test_years_and_qualifications_around_2009_and_today(demo):
    active = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
    assert active.count() < 520
    assert not active.exclude(years__year=2024).exists() and not active.exclude(years__year=2025).exists()
    assert not Enterprise.objects.exclude(status=EnterpriseStatus.ACTIVE).filter(years__year=2024).exists()
    assert (
        EnterpriseYear.objects.filter(year=2006).count()
        < EnterpriseYear.objects.filter(year=2008).count()
        < 520
    )
    hitech_2008_2010 = Qualification.objects.filter(
        kind=QualificationKind.HITECH, granted_on__year__range=(2008, 2010)
    )
    assert 60 <= hitech_2008_2010.count() <= 80
    assert all(
        q.number.startswith(f"GR{q.granted_on.year}12") and len(q.number) == 14 for q in hitech_2008_2010
    )
    on = datetime.date(2025, 12, 1)
    for kind in (
        QualificationKind.TECH_SME,
        QualificationKind.HITECH,
        QualificationKind.LITTLE_GIANT,
        QualificationKind.GAZELLE,
    ):
        assert Enterprise.objects.with_qualification(kind, on).exists(), kind
    giants_2010 = Qualification.objects.filter(kind=QualificationKind.LITTLE_GIANT, granted_on__year=2010)
    over_1e8_in_2009 = EnterpriseYear.objects.filter(year=2009, revenue__gte=10000).values("enterprise")
    assert giants_2010.exists() and not giants_2010.exclude(enterprise__in=over_1e8_in_2009).exists()


def test_one_account_per_role_logs_in_with_the_printed_password(demo, client):
    assert PASSWORD in demo
    for account in ACCOUNTS:
        assert account.username in demo
    roles = set(
        User.objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list("role", flat=True)
    )
    assert roles == set(Role.values)
    assert User.objects.get(username="admin").is_superuser
    enterprise_user = User.objects.get(username="enterprise")
    assert enterprise_user.enterprises.get().unit.name == "张贵庄街道"
    assert Enterprise.objects.filter(cadre__username__startswith="cadre").exists()
    for role in Role.values:
        username = next(a.username for a in ACCOUNTS if a.role == role)
        assert client.login(username=username, password=PASSWORD), username
        client.logout()
    assert client.login(username="admin", password=PASSWORD)


def test_create_bulk_adds_valid_enterprises():
    units = make_district()
    ids = create_bulk(1000, 2024)
    created = Enterprise.objects.filter(pk__in=ids)
    assert len(ids) == created.count() == 1000
    assert EnterpriseYear.objects.filter(enterprise__in=created, year=2024).count() == 1000
    assert [e.uscc for e in created if uscc_problem(e.uscc)] == []
    assert all(e.name_initials == initials(e.name) and e.industry_section for e in created)
    assert set(created.values_list("unit", flat=True)) == {units["town_a"].pk, units["town_b"].pk}
    assert created.filter(park=units["park_a"]).exists()
    for part, whole in PART_OF:
        assert not EnterpriseYear.objects.filter(**{f"{part}__gt": F(whole)}).exists(), (part, whole)
    more = create_bulk(1000, 2024)  # the same seed again: codes and names must still be new
    assert Enterprise.objects.count() == 2000 and len(set(more) & set(ids)) == 0


def test_the_bureau_has_seed_004s_departments_and_leaders(demo):
    from peiyu.core.models import Department

    departments = Department.objects.filter(unit__name="东丽区").order_by("sort_order")
    assert [d.name for d in departments] == ["局办公室", "高新技术科", "科技管理科", "农业与社会发展科"]
    leaders = {d.name: [u.full_name for u in d.leaders.all()] for d in departments}
    assert leaders == {
        "局办公室": ["刘志强"],
        "高新技术科": ["马建华"],
        "科技管理科": ["马建华"],
        "农业与社会发展科": ["高文静"],
    }
    assert all(u.role == Role.LEADER for d in departments for u in d.leaders.all())
    assert set(User.objects.get(username="bureau").departments.values_list("name", flat=True)) == {
        "高新技术科",
        "科技管理科",
    }


def test_the_demo_district_selects_the_rule_sets_that_fit_tianjin(demo):
    from peiyu.evaluation.models import applicable_rulesets

    codes = {r.code for r in applicable_rulesets()}
    assert {"tech-sme-2022", "hitech-2016", "chick-tianjin-2021", "gazelle-tianjin-2021"} <= codes
    assert not codes & {
        "gazelle-huangpu-2022",
        "gazelle-jinan-2016",
        "tech-sme-2017",
        "little-giant-tianjin-2011",
    }
    assert "雏鹰企业" in demo and "黄埔" not in demo


def test_the_metric_registry_reads_seed_001_off_the_demo(demo):
    """The figures targets and bulletins compute come out as seed 001 writes them."""
    from peiyu.core import metrics
    from peiyu.core.models import Unit
    from peiyu.core.periods import Period
    from peiyu.demo import figures

    district = Unit.objects.get(kind="district")
    period = Period.parse(str(figures.YEAR))

    def value(code, **params):
        return metrics.get(code).value(district, period, year=figures.YEAR, **params)

    bands = {band: value("enterprises.count", band=str(int(band))) for band in figures.BAND_COUNTS}
    assert bands == figures.BAND_COUNTS
    for field, total in figures.MONEY_TOTALS.items():
        assert value(f"enterprises.{field}") == total, field
    for field, total in figures.COUNT_TOTALS.items():
        assert value(f"enterprises.{field}") == total, field
    assert round(value("enterprises.hitech_share"), 1) == Decimal("50.6")
    assert round(value("enterprises.rd_intensity"), 2) == Decimal("4.86")


@pytest.mark.every_app
def test_every_app_adds_its_demo_and_a_reset_reloads_it_all():
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    with_demo = [
        c for c in apps.get_app_configs() if c.name != "peiyu.demo" and module_has_submodule(c.module, "demo")
    ]
    assert {c.label for c in with_demo} >= {
        "carriers",
        "targets",
        "projects",
        "support",
        "services",
        "party",
        "bulletins",
    }

    def rows(config) -> int:
        return sum(m._base_manager.count() for m in config.get_models())

    run_demo()
    assert all(rows(c) for c in with_demo), [c.label for c in with_demo if not rows(c)]
    run_demo("--reset")  # wipes every app's data along with the district, then loads it all again
    assert all(rows(c) for c in with_demo)
    wipe()
    assert not Unit.objects.exists() and not Enterprise.all_objects.exists()
