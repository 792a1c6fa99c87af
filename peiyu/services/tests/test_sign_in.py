"""QR sign-in: once per enterprise, closed after the event day, no enumeration; check-in by credit code."""

import datetime

import pytest
import time_machine

from peiyu.services.models import EventAttendance, ServiceEvent


@pytest.fixture
def event(units):
    return ServiceEvent.objects.create(
        kind="service", date=datetime.date(2025, 6, 10), unit=units["town_a"], topic="六月宣讲会甲"
    )


def url(event):
    return f"/services/sign-in/{event.signin_token}/"


@time_machine.travel(
    datetime.datetime(2025, 6, 10, 20, 0, tzinfo=datetime.UTC), tick=False
)  # 04:00 on 11 June in Beijing
def test_sign_in_closes_after_the_event_day_beijing_time(client_for, users, enterprises, event):
    response = client_for(users["ent_a"]).post(url(event), {"enterprise": enterprises["a"].pk})
    assert response.status_code == 410
    assert not EventAttendance.objects.exists()


@time_machine.travel(
    datetime.datetime(2025, 6, 10, 15, 0, tzinfo=datetime.UTC), tick=False
)  # 23:00 on the day in Beijing
def test_an_enterprise_signs_in_once(client_for, users, enterprises, event):
    client = client_for(users["ent_a"])
    assert client.get(url(event)).status_code == 200
    client.post(url(event), {"enterprise": enterprises["a"].pk})
    client.post(url(event), {"enterprise": enterprises["a"].pk})
    assert EventAttendance.objects.filter(event=event).count() == 1
    assert EventAttendance.objects.get().method == "qr"
    page = client.get(url(event)).content.decode()
    assert enterprises["b"].name not in page


@time_machine.travel(datetime.datetime(2025, 6, 10, 2, 0, tzinfo=datetime.UTC), tick=False)
def test_sign_in_cannot_be_used_for_another_enterprise_or_to_enumerate(client_for, users, enterprises, event):
    client = client_for(users["ent_a"])
    assert client.post(url(event), {"enterprise": enterprises["b"].pk}).status_code == 403
    assert client.get("/services/sign-in/guessed-token/").status_code == 404
    assert not EventAttendance.objects.exists()
    # Staff accounts have no enterprise to sign in; anonymous users are sent to log in.
    assert client_for(users["bureau"]).get(url(event)).status_code == 403
    client.logout()
    assert client.get(url(event)).status_code == 302


def test_check_in_by_credit_code_stays_in_scope(client_for, users, enterprises, event):
    client = client_for(users["town_a"])
    codes = f"{enterprises['a'].uscc}\n{enterprises['b'].uscc}, 91120110MA0000000X"
    response = client.post(f"/services/events/{event.pk}/", {"codes": codes}, follow=True)
    assert list(EventAttendance.objects.values_list("enterprise_id", flat=True)) == [enterprises["a"].pk]
    page = response.content.decode()
    assert enterprises["b"].uscc in page and enterprises["b"].name not in page  # named by code only
    client.post(f"/services/events/{event.pk}/", {"codes": enterprises["a"].uscc})
    assert EventAttendance.objects.count() == 1


def test_qr_code_is_svg_for_staff_only(client_for, users, event):
    response = client_for(users["town_a"]).get(f"/services/events/{event.pk}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content
    assert client_for(users["town_b"]).get(f"/services/events/{event.pk}/qr.svg").status_code == 404
    assert client_for(users["ent_a"]).get(f"/services/events/{event.pk}/qr.svg").status_code == 403


def test_enterprise_users_see_only_events_they_attended(client_for, users, enterprises, event, units):
    other = ServiceEvent.objects.create(
        kind="training", date=datetime.date(2025, 6, 1), unit=units["town_a"], topic="内部课程乙"
    )
    EventAttendance.objects.create(event=event, enterprise=enterprises["a"], method="qr")
    EventAttendance.objects.create(event=event, enterprise=enterprises["b"], method="qr")
    client = client_for(users["ent_a"])
    page = client.get("/services/events/").content.decode()
    assert event.topic in page and other.topic not in page
    detail = client.get(f"/services/events/{event.pk}/").content.decode()
    assert enterprises["a"].name in detail and enterprises["b"].name not in detail
    assert client.get(f"/services/events/{other.pk}/").status_code == 404
