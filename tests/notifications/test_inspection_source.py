"""整改 items opened by a site inspection reach the team's webmasters and its group robot once per run, not once per
item; a run that opens nothing new sends nothing. The inspection app never imports notifications."""

from datetime import date

import pytest

from inspection import services
from notifications.models import Delivery, Notification
from tests.factories import TeamFactory, UserFactory
from tests.inspection.conftest import defect_site, external_site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


def run_now(site):
    run = services.request_run(site=site, actor=None, today=TODAY, enqueue=False)
    return services.execute_run(run_id=run.pk)


def test_a_run_tells_the_team_once_and_a_repeat_run_says_nothing(
    django_capture_on_commit_callbacks, defect_site, platforms, wecom_robot, team, trainee, bureau_admin  # noqa: F811
):
    lead = UserFactory(role="team_lead", team=team)
    outsider = UserFactory(role="trainee", team=TeamFactory(code="other"))
    _server, base = defect_site
    site = services.register_site(team=team, base_url=base + "/", name="汉寿县商务局", actor=bureau_admin, allow_internal=True)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_now(site)
    opened = site.rectifications.filter(opened_run=run).count()
    assert opened > 1
    notes = Notification.objects.filter(event="inspection.rectification_opened")
    assert sorted(notes.values_list("recipient_id", flat=True)) == sorted([trainee.pk, lead.pk])
    assert not notes.filter(recipient=outsider).exists()
    assert notes.first().context["count"] == opened and notes.first().link == "/inspection/my/"
    [message] = platforms.of("wecom")
    assert f"{opened}" in message["body"]["markdown"]["content"]
    assert Delivery.objects.filter(channel="wecom").count() == 1

    # Nothing new found: the items stay open, nobody is told again.
    with django_capture_on_commit_callbacks(execute=True):
        run_now(site)
    assert Notification.objects.filter(event="inspection.rectification_opened").count() == 2
    assert len(platforms.of("wecom")) == 1
