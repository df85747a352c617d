"""Pages are served with the sites from the cache and found by URL path (lms/routing.py), as Wagtail would."""

import pytest
from django.test.utils import override_settings
from wagtail.models import Site

from courses import services
from tests.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


@override_settings(ALLOWED_HOSTS=["*"])
def test_a_new_or_changed_site_is_used_at_once(client, trainee, course, catalogue):
    services.enroll(user=trainee, course=course)
    client.force_login(trainee)
    lesson = course.get_children().first().specific
    assert client.get(lesson.url).status_code == 200  # the sites are now cached
    # A second site whose home is the course: its lessons answer at its root, from the next request on.
    Site.objects.create(hostname="backoffice.test", port=80, root_page=course, site_name="后台课程")
    assert client.get(f"/{lesson.slug}/", HTTP_HOST="backoffice.test").status_code == 200
    assert client.get(f"/{lesson.slug}/").status_code == 404  # the default site has no such page at its root
    # Deleted again: the host falls back to the default site.
    Site.objects.filter(hostname="backoffice.test").delete()
    assert client.get(f"/{lesson.slug}/", HTTP_HOST="backoffice.test").status_code == 404
    assert client.get(lesson.url, HTTP_HOST="backoffice.test").status_code == 200


def test_pages_one_level_below_home_and_deeper_are_found(client, trainee, catalogue):
    course = CourseFactory(parent=catalogue, title="新课程")
    lesson = LessonFactory(parent=course, title="第一课")
    services.enroll(user=trainee, course=course)
    client.force_login(trainee)
    for page in (catalogue, course, lesson):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert response.context["page"].pk == page.pk


def test_a_renamed_quiz_shows_its_new_title_on_the_next_request(client, trainee, course):
    """What one request has read is not kept for the next (lms/request_cache.py)."""
    from tests.quizzes.factories import question, quiz

    exam = quiz([question()], title="旧标题测验", pass_mark=60, is_published=True)
    lesson = LessonFactory(parent=course, title="测验课", body=[("quiz", {"quiz": exam, "intro": ""})])
    services.enroll(user=trainee, course=course)
    client.force_login(trainee)
    assert "旧标题测验" in client.get(lesson.url).content.decode()
    exam.title = "新标题测验"
    exam.save()
    page = client.get(lesson.url).content.decode()
    assert "新标题测验" in page and "旧标题测验" not in page
