"""Team qualification over the API: the same selectors and permission rules as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from lms import permissions

from . import selectors

PROGRAMME_PARAM = OpenApiParameter(
    "programme", OpenApiTypes.STR, description="Programme slug; the first active programme when omitted."
)


class TeamSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    team = TeamSerializer()
    rank = serializers.IntegerField(help_text="Place in the ranking among the teams the caller may see.")
    top_ten = serializers.BooleanField()
    members = serializers.IntegerField()
    certified = serializers.IntegerField()
    percent_qualified = serializers.FloatField()
    expiring = serializers.IntegerField(help_text="Valid certificates expiring within 60 days.")
    expired = serializers.IntegerField()
    trained = serializers.IntegerField(help_text="Members who completed every required course.")
    courses_completed = serializers.IntegerField()
    course_completion_percent = serializers.FloatField()
    last_activity = serializers.DateTimeField(allow_null=True)
    average_score = serializers.FloatField(
        allow_null=True, help_text="Mean percent of the members' submitted attempts at the programme's quizzes."
    )
    tasks_waiting = serializers.IntegerField(help_text="The members' hands-on submissions waiting for a trainer's review.")
    extra = serializers.DictField(
        help_text="Figures other parts of the product add per team (exam results, site inspection), by key; null when unknown."
    )


class ProgrammeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    validity_months = serializers.IntegerField(allow_null=True)


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    issued = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer):
    programme = ProgrammeSerializer()
    totals = serializers.DictField()
    teams = FiguresSerializer(many=True, source="rows")
    trend = serializers.SerializerMethodField()

    def get_trend(self, overview) -> list[dict]:
        return [{"month": month.isoformat(), "issued": count} for month, count in overview.trend]


class CourseStatusSerializer(serializers.Serializer):
    course_id = serializers.IntegerField(source="course.pk")
    course = serializers.CharField(source="course.title")
    state = serializers.ChoiceField(choices=["completed", "lessons_done", "in_progress", "not_enrolled"])
    lessons_done = serializers.IntegerField()
    lessons_total = serializers.IntegerField()
    completed_at = serializers.DateTimeField(allow_null=True)


class QuizStatusSerializer(serializers.Serializer):
    quiz_id = serializers.IntegerField(source="quiz.pk")
    quiz = serializers.CharField(source="quiz.title")
    state = serializers.ChoiceField(choices=["passed", "failed", "in_progress", "not_started"])
    grade = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, coerce_to_string=False)
    attempts = serializers.SerializerMethodField()
    passed_first_time = serializers.BooleanField()

    def get_attempts(self, status) -> int:
        return len(status.attempts)


class TaskStatusSerializer(serializers.Serializer):
    task_id = serializers.IntegerField(source="task.pk")
    task = serializers.CharField(source="task.title")
    state = serializers.ChoiceField(choices=["accepted", "review", "checking", "returned", "failed", "error", "not_submitted"])


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.__str__")
    username = serializers.CharField(source="person.username")
    post = serializers.CharField(source="title")
    certificate_state = serializers.ChoiceField(choices=["none", "valid", "expiring", "expired"])
    certificate_serial = serializers.CharField(source="certificate.serial", default=None, allow_null=True)
    certificate_expires_at = serializers.DateTimeField(source="certificate.expires_at", default=None, allow_null=True)
    stuck_at_course_id = serializers.IntegerField(source="stuck_at.course.pk", default=None, allow_null=True)
    last_activity = serializers.DateTimeField(allow_null=True)
    courses = CourseStatusSerializer(many=True)
    quizzes = QuizStatusSerializer(many=True)
    tasks = TaskStatusSerializer(many=True)
    average_score = serializers.FloatField(allow_null=True)


class TeamQualificationSerializer(serializers.Serializer):
    programme = ProgrammeSerializer()
    figures = FiguresSerializer()
    members = MemberSerializer(many=True)


def _programme(request):
    slug = request.query_params.get("programme")
    programme = selectors.programmes().filter(slug=slug).first() if slug else selectors.default_programme()
    if programme is None:
        raise NotFound(_("No such certification programme."))
    return programme


def _require_dashboard(user):
    if not permissions.can_see_qualification(user):
        raise PermissionDenied(_("Team figures are for team leads, trainers and the bureau."))


class TeamListView(APIView):
    """The county teams the caller may see (all for the bureau, supervised ones for a trainer, their own for a lead)."""

    @extend_schema(responses=TeamSerializer(many=True))
    def get(self, request):
        _require_dashboard(request.user)
        teams = permissions.visible_teams(request.user).filter(is_active=True).order_by("sort_order", "code")
        return Response(TeamSerializer(teams, many=True).data)


class OverviewView(APIView):
    """Every visible team's qualification figures against a programme, ranked, with the monthly trend."""

    @extend_schema(
        parameters=[PROGRAMME_PARAM],
        responses=OverviewSerializer,
        examples=[
            OpenApiExample(
                "Two teams",
                response_only=True,
                value={
                    "programme": {"slug": "webmaster", "name": "常德市商务网站管理员资格", "validity_months": 24},
                    "totals": {"teams": 2, "members": 6, "certified": 4, "percent_qualified": 66.7, "expiring": 1, "expired": 0},
                    "teams": [
                        {"team": {"code": "hanshou", "name": "汉寿县", "region": "常德市"}, "rank": 1, "top_ten": True, "members": 3,
                         "certified": 3, "percent_qualified": 100.0, "expiring": 1, "expired": 0, "trained": 3,
                         "courses_completed": 6, "course_completion_percent": 100.0, "last_activity": "2026-11-20T09:30:00+08:00"},
                    ],
                    "trend": [{"month": "2026-11-01", "issued": 4}],
                },
            )
        ],
    )
    def get(self, request):
        _require_dashboard(request.user)
        overview = selectors.qualification_overview(programme=_programme(request), teams=permissions.visible_teams(request.user))
        return Response(OverviewSerializer(overview).data)


class TeamQualificationView(APIView):
    """One team's figures and every member's status per required course and certificate (404 for teams not visible)."""

    @extend_schema(parameters=[PROGRAMME_PARAM], responses=TeamQualificationSerializer)
    def get(self, request, code: str):
        _require_dashboard(request.user)
        team = get_object_or_404(permissions.visible_teams(request.user), code=code)
        programme = _programme(request)
        figures = selectors.qualification_overview(programme=programme, teams=permissions.visible_teams(request.user), months=1)
        row = next((r for r in figures.rows if r.team.pk == team.pk), None)
        if row is None:
            raise NotFound(_("This team is no longer active."))
        detail = selectors.team_detail(team=team, programme=programme)
        return Response(TeamQualificationSerializer({"programme": programme, "figures": row, "members": detail.members}).data)
