"""Practice areas: created on enrolment, editable in the real Wagtail admin by their owner alone."""

import pytest
from wagtail.models import Collection, Page

from courses.services import enroll
from quizzes.models import PracticeAreaPage, TopicPage
from quizzes.practical.practice import ensure_practice_area
from tests.factories import LessonFactory

from .factories import TaskFactory, wagtail_image
from .images import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(site, trainee, other_trainee):
    return ensure_practice_area(user=trainee), ensure_practice_area(user=other_trainee)


def test_area_is_created_once_with_sections(areas, trainee):
    mine, _ = areas
    assert ensure_practice_area(user=trainee).pk == mine.pk
    assert PracticeAreaPage.objects.count() == 2
    assert [p.title for p in mine.get_children()] == ["通知公告", "工作动态", "招商引资"]
    assert mine.live and mine.owner_user == trainee


def test_enrolling_in_a_course_with_a_practice_site_task_creates_the_area(site, course, trainee):
    task = TaskFactory(kind="topic_page", spec={"min_columns": 2})
    LessonFactory(parent=course, title="专题实操", body=[("practical_task", {"task": task, "note": ""})])
    enroll(user=trainee, course=course)
    assert PracticeAreaPage.objects.filter(owner_user=trainee).exists()


def test_enrolling_in_a_course_without_such_task_creates_nothing(site, course, trainee):
    enroll(user=trainee, course=course)
    assert not PracticeAreaPage.objects.exists()


def test_permission_matrix(areas, trainee, trainer, catalogue, course, site):
    mine, theirs = areas
    my_section = mine.get_children().first()
    their_section = theirs.get_children().first()
    allowed = lambda page: page.permissions_for_user(trainee)  # noqa: E731
    assert allowed(mine).can_add_subpage() and allowed(my_section).can_edit() and allowed(my_section).can_publish()
    assert allowed(my_section).can_delete()
    for page in (theirs, their_section, course, catalogue, site["home"], mine.get_parent()):
        perms = allowed(page)
        assert not perms.can_edit() and not perms.can_add_subpage() and not perms.can_delete() and not perms.can_publish()
    # A trainer may help on the areas of the teams they supervise (never delete one), and nowhere else.
    assert my_section.permissions_for_user(trainer).can_edit() and mine.permissions_for_user(trainer).can_add_subpage()
    assert not mine.permissions_for_user(trainer).can_delete()
    for page in (theirs, their_section):
        perms = page.permissions_for_user(trainer)
        assert not perms.can_edit() and not perms.can_add_subpage() and not perms.can_delete() and not perms.can_publish()


def test_a_trainers_practice_area_rights_follow_supervision(areas, trainee, other_trainee, trainer, team, other_team):
    from lms.models import Membership, TrainerSupervision
    from lms.services import assign_role, set_supervision

    _, theirs = areas
    section = theirs.get_children().first()

    def can_edit() -> bool:
        fresh = type(trainer).objects.get(pk=trainer.pk)  # page permissions are cached per user object
        return section.permissions_for_user(fresh).can_edit()

    assert not can_edit()
    set_supervision(trainer=trainer, teams=[team, other_team])
    assert can_edit()
    set_supervision(trainer=trainer, teams=[team])
    assert not can_edit()
    # The bureau edits supervision rows in the admin (a model form, not set_supervision).
    row = TrainerSupervision.objects.create(trainer=trainer, team=other_team)
    assert can_edit()
    row.delete()
    assert not can_edit()
    # The trainee moves to a supervised county: their area comes along.
    assign_role(user=other_trainee, role="trainee", team=team)
    assert can_edit()
    assign_role(user=other_trainee, role="trainee", team=other_team)
    assert not can_edit()
    # A trainer who is no longer one helps nobody.
    set_supervision(trainer=trainer, teams=[team, other_team])
    Membership.objects.filter(user=trainer, role="trainer").delete()
    assert not can_edit()


def test_trainee_works_in_the_admin_on_their_own_area(client, areas, trainee):
    mine, _ = areas
    client.force_login(trainee)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{mine.pk}/").status_code == 200
    response = client.post(
        f"/admin/pages/add/quizzes/topicpage/{mine.pk}/",
        {"title": "中博会专题", "slug": "cbh", "lead": "中博会专题页", "columns-count": "0", "action-publish": "publish"},
    )
    assert response.status_code == 302, response.content[:3000]
    page = TopicPage.objects.child_of(mine).get()
    assert page.live and page.title == "中博会专题"


def test_trainee_cannot_touch_anything_else_in_the_admin(client, areas, trainee, course, catalogue):
    mine, theirs = areas
    their_section = theirs.get_children().first()
    client.force_login(trainee)
    for url in (
        f"/admin/pages/{their_section.pk}/edit/",
        f"/admin/pages/{course.pk}/edit/",
        f"/admin/pages/add/courses/coursepage/{catalogue.pk}/",
        f"/admin/pages/add/quizzes/topicpage/{theirs.pk}/",
        f"/admin/pages/{theirs.pk}/delete/",
        f"/admin/pages/{their_section.pk}/unpublish/",
        "/admin/snippets/quizzes/practicaltask/",
        "/admin/snippets/quizzes/practicaltask/add/",
    ):
        assert client.get(url).status_code in (302, 403), url
    client.post(f"/admin/pages/{their_section.pk}/edit/", {"title": "改掉别人的", "slug": their_section.slug, "action-publish": "1"})
    client.post(f"/admin/pages/{course.pk}/delete/")
    client.post(f"/admin/pages/{their_section.pk}/unpublish/")
    their_section.refresh_from_db()
    assert their_section.title == "通知公告" and their_section.live
    assert Page.objects.filter(pk=course.pk).exists()


def test_trainee_cannot_delete_or_move_their_own_area_root(client, areas, trainee):
    mine, _ = areas
    client.force_login(trainee)
    assert client.post(f"/admin/pages/{mine.pk}/delete/").status_code in (302, 403)
    assert PracticeAreaPage.objects.filter(pk=mine.pk).exists()
    index = mine.get_parent()
    assert client.post(f"/admin/pages/{mine.pk}/move/{index.get_parent().pk}/confirm/").status_code in (302, 403)
    mine.refresh_from_db()
    assert mine.get_parent().pk == index.pk


def test_images_go_to_the_trainees_own_collection(areas, trainee, other_trainee):
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_image_model())

    own = Collection.objects.get(name=f"练习园地·{trainee.username}")
    theirs = Collection.objects.get(name=f"练习园地·{other_trainee.username}")
    allowed = permission_policy.collections_user_has_permission_for(trainee, "choose")
    assert own in allowed and theirs not in allowed
    wagtail_image(photo((100, 80)), title="别人的图").__class__.objects.filter(title="别人的图").update(collection=theirs)
    assert not permission_policy.instances_user_has_permission_for(trainee, "choose").filter(title="别人的图").exists()


def test_team_leads_get_no_practice_area_admin(site, team_lead, client):
    client.force_login(team_lead)
    assert client.get("/admin/").status_code == 302


def test_trainers_author_tasks_and_trainees_do_not(areas, trainer, trainee, client):
    assert trainer.has_perm("quizzes.add_practicaltask") and trainer.has_perm("quizzes.change_practicaltask")
    assert not trainee.has_perm("quizzes.add_practicaltask") and not trainee.has_perm("quizzes.change_practicaltask")
    client.force_login(trainer)
    assert client.get("/admin/snippets/quizzes/practicaltask/add/").status_code == 200


def _task_form(**overrides):
    data = {
        "title": "图片练习", "kind": "image", "instructions": '{"blocks":[{"key":"a","text":"裁剪图片","type":"unstyled","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "spec": '{"width": 800}', "max_submissions": "5", "accept_file": "on", "accept_text": "on",
        "rubric_criteria-TOTAL_FORMS": "0", "rubric_criteria-INITIAL_FORMS": "0", "rubric_criteria-MIN_NUM_FORMS": "0", "rubric_criteria-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_trainer_authors_a_task_and_a_bad_spec_is_explained(areas, trainer, client):
    from quizzes.models import PracticalTask

    client.force_login(trainer)
    url = "/admin/snippets/quizzes/practicaltask/add/"
    response = client.post(url, _task_form(spec='{"max_widht": 800}'))
    assert response.status_code == 200 and "未知设置 max_widht" in response.content.decode()
    assert not PracticalTask.objects.exists()
    response = client.post(url, _task_form())
    assert response.status_code == 302
    assert PracticalTask.objects.get().spec == {"width": 800}
