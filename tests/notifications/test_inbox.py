"""我的消息, the bell, mark read, preferences — pages and API — and who may touch what."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.models import Delivery, EventPolicy, Notification, Preference
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _note(user, key="k1", **context):
    notify(
        "work.returned",
        [user],
        {"task": "专题页面", "reviewer": "石建军", "comment": "请修改", **context},
        key=key,
        link="/hands-on/tasks/1/",
    )
    return Notification.objects.get(recipient=user, event_key=key)


def test_bell_count_rises_and_falls(client, trainee):
    client.force_login(trainee)
    page = client.get("/notifications/").content.decode()
    assert 'data-unread="0"' in page
    first = _note(trainee, "a")
    _note(trainee, "b")
    page = client.get("/my/").content.decode()
    assert 'data-unread="2"' in page and 'class="site-bell__count" aria-hidden="true">2<' in page
    response = client.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/hands-on/tasks/1/"
    assert 'data-unread="1"' in client.get("/my/").content.decode()
    client.post("/notifications/read-all/")
    assert 'data-unread="0"' in client.get("/my/").content.decode()


def test_bell_costs_no_query_when_cached(client, trainee, course):
    client.force_login(trainee)
    client.get("/my/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/my/")
    assert not [q for q in captured.captured_queries if "notifications_notification" in q["sql"]]


def test_inbox_shows_only_ones_own_messages_escaped(client, trainee, other_trainee):
    _note(trainee, "mine", task="<script>alert(1)</script>")
    _note(other_trainee, "theirs", task="别人的任务")
    client.force_login(trainee)
    page = client.get("/notifications/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "别人的任务" not in page
    assert "你提交的" in page


def test_cannot_mark_someone_elses_message(client, trainee, other_trainee):
    theirs = _note(other_trainee)
    client.force_login(trainee)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_post_and_csrf(trainee):
    note = _note(trainee)
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainee)
    assert client.get(f"/notifications/{note.pk}/read/").status_code == 405
    assert client.post(f"/notifications/{note.pk}/read/").status_code == 403
    assert client.post("/notifications/read-all/").status_code == 403
    note.refresh_from_db()
    assert note.read_at is None


def test_anonymous_is_sent_to_login(client):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/api/v1/notifications/").status_code in (401, 403)


def test_open_never_redirects_off_site(client, trainee):
    notify("work.returned", [trainee], {}, key="evil", link="https://evil.example/")
    note = Notification.objects.get(event_key="evil")
    client.force_login(trainee)
    response = client.post(f"/notifications/{note.pk}/read/", {"open": "1"})
    assert response["Location"] == "/notifications/"


def test_api_inbox_count_and_read(client, trainee):
    note = _note(trainee)
    client.force_login(trainee)
    listing = client.get("/api/v1/notifications/").json()
    assert listing["count"] == 1 and listing["results"][0]["title"].startswith("你提交的")
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
    assert client.post(f"/api/v1/notifications/{note.pk}/read/").json()["read_at"]
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
    _note(trainee, "k2")
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}


def test_preferences_switch_email_off_but_not_mandatory(client, trainee):
    trainee.email = "li@example.cn"
    trainee.save()
    client.force_login(trainee)
    page = client.get("/notifications/preferences/").content.decode()
    assert "作业被退回" in page and "待评阅作业" not in page  # a trainee's events only
    response = client.post("/notifications/preferences/", {"work.accepted__email": "on"})
    assert response.status_code == 302
    assert Preference.objects.get(user=trainee, event="work.returned", channel="email").enabled is False
    _note(trainee, "after-opt-out")
    assert not Delivery.objects.filter(recipient=trainee, channel="email", event_key="after-opt-out").exists()
    EventPolicy.objects.create(event="work.returned", mandatory=True)
    _note(trainee, "mandatory")
    assert Delivery.objects.filter(recipient=trainee, channel="email", event_key="mandatory").exists()
    client.post("/notifications/preferences/", {})  # trying to switch the mandatory one off changes nothing
    assert "必收" in client.get("/notifications/preferences/").content.decode()


def test_api_preferences_refuse_unknown_events_with_a_message(client, trainee, trainer):
    client.force_login(trainee)
    answer = client.put(
        "/api/v1/notifications/preferences/",
        [{"event": "review.digest", "channel": "email", "enabled": False}],
        content_type="application/json",
    )
    assert answer.status_code == 400 and "review.digest" in str(answer.json())
    answer = client.put(
        "/api/v1/notifications/preferences/",
        [{"event": "work.accepted", "channel": "fax", "enabled": False}],
        content_type="application/json",
    )
    assert answer.status_code == 400
    answer = client.put(
        "/api/v1/notifications/preferences/",
        [{"event": "work.accepted", "channel": "email", "enabled": False}],
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert {"event": "work.accepted", "channel": "email", "enabled": False, "mandatory": False} in answer.json()
    client.force_login(trainer)
    assert any(i["event"] == "review.digest" for i in client.get("/api/v1/notifications/preferences/").json())


def test_english_inbox(client, trainee):
    _note(trainee)
    client.force_login(trainee)
    client.cookies["django_language"] = "en"
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your work on “专题页面” was returned" in page


def test_inactive_people_get_nothing(trainee):
    trainee.is_active = False
    trainee.save()
    assert notify("work.returned", [trainee, UserFactory(is_active=False)], {}, key="x") == 0
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "url", ["/notifications/99999999999999999999999/read/", "/api/v1/notifications/99999999999999999999999/read/"]
)
def test_ids_too_large_for_the_database_are_404(client, trainee, url):
    client.force_login(trainee)
    assert client.post(url).status_code == 404


def test_schema_lists_the_notification_api(client, trainee):
    client.force_login(trainee)
    assert "/api/v1/notifications/unread-count/" in client.get("/api/schema/").content.decode()
