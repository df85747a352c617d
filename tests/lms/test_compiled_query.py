"""A query compiled once gives what the ORM gives: the same rows, instances, order and converted values,
for any list length; another person's rows never leak in; an empty list runs nothing; a builder that changes
a parameter on its way to the SQL is refused rather than run with a sentinel swapped wrongly."""

from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from courses.models import Enrollment, LessonProgress
from lms.compiled_query import CompiledQuery
from quizzes.models import Attempt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _attempts_of(user_id, quiz_ids):
    return Attempt.objects.filter(user_id=user_id, quiz_id__in=quiz_ids).order_by("-number").defer("layout")


ATTEMPTS = CompiledQuery(Attempt, _attempts_of, ids=("user_id",), lists=("quiz_ids",))


@pytest.fixture
def attempts(team):
    from quizzes.services import start_attempt
    from tests.quizzes.factories import question, quiz

    quizzes = [quiz([question()], title=f"测验{n}") for n in range(3)]
    me, other = UserFactory(role="trainee", team=team), UserFactory(role="trainee", team=team)
    for each in quizzes:
        start_attempt(user=me, quiz=each)
        start_attempt(user=other, quiz=each)
    return me, other, quizzes


def test_same_instances_and_order_as_the_orm_for_each_list_length(attempts):
    me, other, quizzes = attempts
    for length in (1, 2, 3):
        ids = [quiz.pk for quiz in quizzes[:length]]
        compiled = ATTEMPTS.objects(user_id=me.pk, quiz_ids=ids)
        expected = list(_attempts_of(me.pk, ids))
        assert [a.pk for a in compiled] == [a.pk for a in expected] and len(compiled) == length
        # Values as the ORM converts them (datetimes aware, decimals, booleans), not raw database text.
        assert [(a.started_at, a.status, a.user_id) for a in compiled] == [(a.started_at, a.status, a.user_id) for a in expected]
        assert {a.user_id for a in ATTEMPTS.objects(user_id=other.pk, quiz_ids=ids)} == {other.pk}


def test_compiled_once_then_one_query_per_call(attempts):
    me, _other, quizzes = attempts
    ATTEMPTS.objects(user_id=me.pk, quiz_ids=[quizzes[0].pk])
    # Watched, not replaced: the ORM's compiler still does the work if it is asked.
    with (
        mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as compiling,
        CaptureQueriesContext(connection) as queries,
    ):
        for each in quizzes:
            assert [a.quiz_id for a in ATTEMPTS.objects(user_id=me.pk, quiz_ids=[each.pk])] == [each.pk]
    assert len(queries) == 3 and compiling.call_count == 0


def test_empty_list_matches_nothing_without_a_query(attempts):
    me, _other, _quizzes = attempts
    with CaptureQueriesContext(connection) as queries:
        assert ATTEMPTS.objects(user_id=me.pk, quiz_ids=[]) == []
    assert len(queries) == 0


def test_hostile_values_are_parameters_not_sql(team):
    person = UserFactory(role="trainee", team=team)
    by_name = CompiledQuery(
        type(person), lambda name: type(person).objects.filter(username=name), scalars={"name": "\x00sentinel\x00"}
    )
    assert by_name.objects(name="x' OR '1'='1") == []
    assert [u.pk for u in by_name.objects(name=person.username)] == [person.pk]


def test_rows_of_a_values_list_query(team, course):
    done = CompiledQuery(
        LessonProgress,
        lambda user_id, lesson_ids: LessonProgress.objects.filter(user_id=user_id, lesson_id__in=lesson_ids).values_list(
            "lesson_id"
        ),
        ids=("user_id",),
        lists=("lesson_ids",),
    )
    me, other = UserFactory(role="trainee", team=team), UserFactory(role="trainee", team=team)
    lessons = [page.pk for page in course.get_children()]
    LessonProgress.objects.create(user=me, lesson_id=lessons[0])
    LessonProgress.objects.create(user=me, lesson_id=lessons[2])
    LessonProgress.objects.create(user=other, lesson_id=lessons[1])
    assert sorted(done.rows(user_id=me.pk, lesson_ids=lessons)) == [(lessons[0],), (lessons[2],)]
    assert done.rows(user_id=me.pk, lesson_ids=[lessons[1]]) == []


def test_a_builder_that_changes_its_parameter_is_refused():
    shifted = CompiledQuery(Enrollment, lambda user_id: Enrollment.objects.filter(user_id=user_id + 1), ids=("user_id",))
    with pytest.raises(ValueError, match="as given"):
        shifted.objects(user_id=5)


def test_ids_outside_the_integer_range_match_nothing(attempts):
    me, _other, quizzes = attempts
    with CaptureQueriesContext(connection) as queries:
        assert ATTEMPTS.objects(user_id=2**70, quiz_ids=[quizzes[0].pk]) == []
        assert ATTEMPTS.objects(user_id=me.pk, quiz_ids=[-(2**64)]) == []
    assert len(queries) == 0
    # Out-of-range ids are dropped from a list, the others still found (as the ORM does).
    assert [a.quiz_id for a in ATTEMPTS.objects(user_id=me.pk, quiz_ids=[2**64, quizzes[1].pk])] == [quizzes[1].pk]


def test_api_start_of_a_huge_or_unpublished_quiz_is_a_plain_404(team):
    from django.test import Client

    from tests.quizzes.factories import question, quiz

    hidden = quiz([question()], title="未发布", is_published=False)
    client = Client()
    client.force_login(UserFactory(role="trainee", team=team))
    for pk in ("9" * 30, str(2**63), str(hidden.pk)):
        response = client.post(f"/api/v1/quizzes/{pk}/attempts/")
        assert response.status_code == 404, pk
        assert response.json()["detail"]


def test_a_joined_query_is_refused():
    joined = CompiledQuery(Attempt, lambda pk: Attempt.objects.select_related("quiz").filter(pk=pk), ids=("pk",))
    with pytest.raises(ValueError, match="select_related"):
        joined.objects(pk=1)
