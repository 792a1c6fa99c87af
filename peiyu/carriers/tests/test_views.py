import datetime

import pytest
from django.urls import reverse

from peiyu.carriers.models import Carrier
from peiyu.core.models import ObjectChange

LIST = reverse("carriers:carrier-list")


def names(response):
    return sorted(c.name for c in response.context["object_list"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("admin", ["丰年众创空间", "张贵庄孵化器", "科技园研发中心"]),
        ("bureau", ["丰年众创空间", "张贵庄孵化器", "科技园研发中心"]),
        ("leader", ["丰年众创空间", "张贵庄孵化器", "科技园研发中心"]),
        ("party", ["丰年众创空间", "张贵庄孵化器", "科技园研发中心"]),
        ("town_a", ["张贵庄孵化器", "科技园研发中心"]),
        ("park_a", ["科技园研发中心"]),
        ("town_b", ["丰年众创空间"]),
        ("ent_a", ["张贵庄孵化器"]),  # the incubator its enterprise sits in
    ],
)
def test_list_is_scoped_by_unit_and_role(client_for, users, carriers, user, expected):
    response = client_for(users[user]).get(LIST)
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.django_db
def test_experts_see_nothing(client_for, users, carriers):
    client = client_for(users["expert"])
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("carriers:carrier-detail", args=[carriers["a"].pk])).status_code == 403
    assert client.get(reverse("carriers:carrier-export")).status_code == 403


@pytest.mark.django_db
def test_an_enterprise_user_sees_the_carrier_its_enterprise_hosts(client_for, users, carriers, enterprises):
    enterprises["b"].accounts.add(users["ent_a"])
    response = client_for(users["ent_a"]).get(LIST)
    assert names(response) == ["张贵庄孵化器", "科技园研发中心"]


@pytest.mark.django_db
def test_detail_outside_the_unit_is_404_and_read_only_roles_cannot_edit(client_for, users, carriers):
    b = carriers["b"]
    assert client_for(users["town_a"]).get(reverse("carriers:carrier-detail", args=[b.pk])).status_code == 404
    assert client_for(users["town_a"]).get(reverse("carriers:carrier-edit", args=[b.pk])).status_code == 404
    assert (
        client_for(users["town_a"]).post(reverse("carriers:carrier-delete", args=[b.pk])).status_code == 404
    )
    leader = client_for(users["leader"])
    page = leader.get(reverse("carriers:carrier-detail", args=[b.pk]))
    assert page.status_code == 200 and not page.context["can_edit"]
    assert leader.get(reverse("carriers:carrier-edit", args=[b.pk])).status_code == 403
    assert leader.get(reverse("carriers:carrier-add")).status_code == 403
    assert (
        client_for(users["ent_a"]).get(reverse("carriers:carrier-edit", args=[carriers["a"].pk])).status_code
        == 403
    )
    assert client_for(users["ent_a"]).get(reverse("carriers:carrier-add")).status_code == 403


@pytest.mark.django_db
def test_filters_and_search(client_for, users, carriers, units):
    client = client_for(users["bureau"])
    assert names(client.get(LIST, {"kind": "maker_space"})) == ["丰年众创空间"]
    assert names(client.get(LIST, {"level": "national"})) == ["科技园研发中心"]
    assert names(client.get(LIST, {"unit": units["town_a"].pk})) == ["张贵庄孵化器", "科技园研发中心"]
    assert names(client.get(LIST, {"q": "运营公司"})) == ["张贵庄孵化器"]  # by operator
    assert names(client.get(LIST, {"q": "众创"})) == ["丰年众创空间"]
    assert names(client.get(LIST, {"year": 2020})) == ["丰年众创空间", "张贵庄孵化器", "科技园研发中心"]
    assert names(client.get(LIST, {"year": 2021})) == []


@pytest.mark.django_db
def test_list_pages_and_its_query_count_does_not_grow(
    client_for, users, units, django_assert_max_num_queries
):
    Carrier.objects.bulk_create(
        Carrier(
            unit=units["town_a"],
            name=f"孵化器{n:03d}",
            kind="incubator",
            level="city",
            recognised_on=datetime.date(2020, 1, 1),
        )
        for n in range(65)
    )
    client = client_for(users["bureau"])
    with django_assert_max_num_queries(12):
        first = client.get(LIST)
    assert len(first.context["object_list"]) == 30 and first.context["page_obj"].paginator.num_pages == 3
    assert names(client.get(LIST, {"page": 3})) == [
        "孵化器060",
        "孵化器061",
        "孵化器062",
        "孵化器063",
        "孵化器064",
    ]


def form_data(unit, **extra):
    data = {
        "name": "新孵化器",
        "kind": "incubator",
        "level": "city",
        "status": "operating",
        "unit": unit.pk,
        "recognised_on": "2021-03-05",
        "incubated_other": "0",
    }
    return {**data, **extra}


@pytest.mark.django_db
def test_create_edit_and_delete_through_the_forms(client_for, users, units, enterprises):
    client = client_for(users["town_a"])
    response = client.post(
        reverse("carriers:carrier-add"),
        form_data(units["town_a"], incubated_refs=f"{enterprises['a'].uscc}\n", area="1200.5"),
    )
    carrier = Carrier.objects.get(name="新孵化器")
    assert response.status_code == 302 and response["Location"] == carrier.get_absolute_url()
    assert list(carrier.incubated.all()) == [enterprises["a"]] and str(carrier.area) == "1200.50"
    detail = client.get(carrier.get_absolute_url())
    assert "华东科技有限公司" in detail.content.decode() and detail.context["can_edit"]
    client.post(
        reverse("carriers:carrier-edit", args=[carrier.pk]),
        form_data(units["town_a"], level="provincial", incubated_refs=""),
    )
    carrier.refresh_from_db()
    assert carrier.level == "provincial" and not carrier.incubated.exists()
    assert (
        ObjectChange.objects.filter(
            object_id=carrier.pk, content_type__model="carrier", user=users["town_a"]
        ).count()
        >= 3
    )
    client.post(reverse("carriers:carrier-delete", args=[carrier.pk]))
    assert (
        not Carrier.objects.filter(pk=carrier.pk).exists()
        and Carrier.all_objects.filter(pk=carrier.pk).exists()
    )


@pytest.mark.django_db
def test_form_errors_are_clear_and_nothing_is_saved(client_for, users, units, enterprises):
    client = client_for(users["town_a"])
    response = client.post(
        reverse("carriers:carrier-add"),
        form_data(
            units["town_a"],
            kind="rd_centre",
            incubated_refs=f"{enterprises['b'].uscc}\n不存在的公司",
            area="-5",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"host", "incubated_refs", "area"}
    assert "不存在的公司" in " ".join(errors["incubated_refs"])
    assert enterprises["b"].uscc in " ".join(
        errors["incubated_refs"]
    )  # town B's enterprise is outside town A
    assert not Carrier.objects.exists()
    # a unit outside the user's subtree is not a choice
    response = client.post(reverse("carriers:carrier-add"), form_data(units["town_b"]))
    assert "unit" in response.context["form"].errors and not Carrier.objects.exists()


@pytest.mark.django_db
def test_menu_offers_the_registry_to_leaders_and_bureau(client_for, users, carriers):
    for user in ("leader", "bureau"):
        assert LIST in client_for(users[user]).get(LIST).content.decode()
