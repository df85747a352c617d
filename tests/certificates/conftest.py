import shutil

import pytest

from certificates import services
from tests.factories import CourseFactory, LessonFactory

from .factories import ProgrammeFactory


@pytest.fixture
def second_course(catalogue):
    course = CourseFactory(parent=catalogue, title="专题制作")
    for n in range(2):
        LessonFactory(parent=course, title=f"专题第{n + 1}课")
    return course


@pytest.fixture
def programme(course, second_course):
    return ProgrammeFactory(name="常德市商务网站管理员资格", slug="changde-webmaster", courses=[course, second_course])


@pytest.fixture
def certificate(trainee, programme, bureau_admin):
    """A valid, rendered certificate of `trainee`, issued by hand."""
    issued = services.issue_certificate(holder=trainee, programme=programme, actor=bureau_admin, manual=True)
    return services.render_certificate(certificate=issued)


def complete_course(user, course):
    from courses.services import mark_lesson_done

    for lesson in course.lessons():
        mark_lesson_done(user=user, lesson=lesson)


@pytest.fixture
def poppler():
    if not (shutil.which("pdftotext") and shutil.which("pdffonts")):
        pytest.skip("poppler-utils (pdftotext, pdffonts) is not installed: sudo apt-get install poppler-utils")
