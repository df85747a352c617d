"""Shared fixtures: a temporary MEDIA_ROOT, the academy's page tree, and people in every role."""

import pytest
from django.db import connection

from tests.factories import CourseFactory, LessonFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: ids repeat between tests, so markers and counters keyed by
    them (lesson visits, rate limits, Wagtail's site root paths) must not carry over."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    from courses.setup import ensure_academy_site

    home, catalogue = ensure_academy_site()
    return {"home": home, "catalogue": catalogue}


@pytest.fixture
def catalogue(site):
    return site["catalogue"]


@pytest.fixture
def course(catalogue):
    course = CourseFactory(parent=catalogue, title="网站后台管理")
    for n in range(3):
        LessonFactory(parent=course, title=f"第{n + 1}课")
    return course


@pytest.fixture
def team(db):
    return TeamFactory(name="汉寿县", code="hanshou")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="澧县", code="lixian")


@pytest.fixture
def trainee(team):
    return UserFactory(full_name="李明", role="trainee", team=team)


@pytest.fixture
def other_trainee(other_team):
    return UserFactory(full_name="王芳", role="trainee", team=other_team)


@pytest.fixture
def trainer(team):
    from lms.services import set_supervision

    user = UserFactory(full_name="石建军", role="trainer")
    set_supervision(trainer=user, teams=[team])
    return user


@pytest.fixture
def team_lead(team):
    return UserFactory(full_name="邓国华", role="team_lead", team=team)


@pytest.fixture
def bureau_admin(db):
    return UserFactory(full_name="钱秀英", role="bureau_admin")


def pytest_runtest_setup(item):
    """Tests marked `postgres` need real row locks and concurrent connections: they skip on SQLite."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real row locks, concurrent connections): set DATABASE_URL=postgres://…")
