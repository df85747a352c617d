"""Authoring and managing in the Wagtail admin: who gets in, and what they may touch."""

import pytest

from courses.models import Enrollment, LessonPage
from lms.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_trainee_and_team_lead_have_no_admin(client, trainee, team_lead, site):
    for user in (trainee, team_lead):
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code in (302, 403)


def test_trainer_edits_lessons_in_the_catalogue(client, trainer, course):
    client.force_login(trainer)
    assert client.get("/admin/").status_code == 200
    response = client.get(f"/admin/pages/add/courses/lessonpage/{course.pk}/")
    assert response.status_code == 200
    body = {
        "title": "栏目巡检", "slug": "inspection", "intro": "每天检查栏目。", "body-count": "0",
        "is_required": "on", "estimated_minutes": "10", "action-publish": "publish",
    }
    response = client.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", body)
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(slug="inspection")
    assert lesson.live and lesson.revisions.count() == 1


def test_trainer_cannot_edit_the_home_page(client, trainer, site):
    client.force_login(trainer)
    assert client.get(f"/admin/pages/{site['home'].pk}/edit/").status_code in (302, 403)


def test_course_changes_have_a_review_workflow(site, course, trainer, bureau_admin):
    workflow = site["catalogue"].get_workflow()
    assert workflow is not None and workflow.name == "课程审核"
    # Submitting a change waits for the bureau's step instead of passing straight through.
    course.save_revision(user=trainer)
    state = workflow.start(course, trainer)
    assert state.status == "in_progress"
    assert state.current_task_state.task.name == "市局审核"
    assert state.current_task_state.task.specific.user_can_access_editor(course, bureau_admin)


def test_bureau_admin_manages_teams_and_sees_audit_log(client, site, bureau_admin, team):
    client.force_login(bureau_admin)
    assert "汉寿县" in client.get("/admin/countyteam/").content.decode()
    assert client.get("/admin/auditevent/").status_code == 200


def test_audit_log_cannot_be_edited_in_the_admin(client, site, bureau_admin, trainee):
    from lms.services import record_audit

    event = record_audit(actor=bureau_admin, action="test.thing", obj=trainee)
    client.force_login(bureau_admin)
    assert client.get("/admin/auditevent/new/").status_code in (302, 403)
    assert client.post(f"/admin/auditevent/edit/{event.pk}/", {"note": "x"}).status_code in (302, 403)
    assert client.post(f"/admin/auditevent/delete/{event.pk}/").status_code in (302, 403)
    assert AuditEvent.objects.filter(pk=event.pk, note="").exists()


def test_enrol_a_team_from_the_admin(client, bureau_admin, team, trainee, course):
    client.force_login(bureau_admin)
    response = client.post("/admin/courses/enroll-team/", {"team": team.pk, "course": course.pk})
    assert response.status_code == 302
    assert Enrollment.objects.filter(user=trainee, course=course).exists()


def test_trainer_cannot_enrol_a_team(client, trainer, team, course):
    client.force_login(trainer)
    # The admin turns a refusal into a redirect with a message; either way nothing is enrolled.
    assert client.post("/admin/courses/enroll-team/", {"team": team.pk, "course": course.pk}).status_code in (302, 403)
    assert not Enrollment.objects.exists()


def test_trainer_lists_and_opens_only_supervised_teams_enrolments(client, trainer, trainee, other_trainee, course, bureau_admin):
    from courses.services import enroll

    mine, theirs = enroll(user=trainee, course=course), enroll(user=other_trainee, course=course)
    client.force_login(trainer)
    listing = client.get("/admin/snippets/courses/enrollment/").content.decode()
    assert trainee.full_name in listing and other_trainee.full_name not in listing
    for view in ("edit", "delete", "history", "usage"):
        assert client.get(f"/admin/snippets/courses/enrollment/{view}/{theirs.pk}/").status_code == 404, view
    # Copying needs the add permission trainers do not have: Wagtail sends them back to the dashboard.
    assert client.get(f"/admin/snippets/courses/enrollment/copy/{theirs.pk}/")["Location"] == "/admin/"
    assert client.get(f"/admin/snippets/choose/courses/enrollment/chosen/{theirs.pk}/").status_code == 404
    assert other_trainee.full_name not in client.get("/admin/snippets/choose/courses/enrollment/").content.decode()
    client.force_login(bureau_admin)
    assert other_trainee.full_name in client.get("/admin/snippets/courses/enrollment/").content.decode()
    assert Enrollment.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2
