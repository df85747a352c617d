"""Courses, lessons (published only), my enrolments and progress."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from lms import permissions
from lms.models import User

from .. import selectors, services
from ..models import CoursePage, LessonPage
from .serializers import (
    CourseSerializer,
    EnrollInputSerializer,
    LessonDetailSerializer,
    LessonSummarySerializer,
    ProgressSerializer,
)


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """Published courses."""

    # Ids only, and no longer than a database integer holds (a page id is not range-checked by Django):
    # anything else is a plain 404 from the router.
    lookup_value_regex = r"\d{1,18}"

    serializer_class = CourseSerializer
    queryset = CoursePage.objects.none()  # names the model for the schema; get_queryset decides what is served

    def get_queryset(self):
        return selectors.published_courses()

    @extend_schema(responses=LessonSummarySerializer(many=True))
    @action(detail=True, pagination_class=None)
    def lessons(self, request, pk=None):
        course = self.get_object()
        lessons = list(course.lessons())
        serializer = LessonSummarySerializer(lessons, many=True, context={"course_ids": {lesson.pk: course.pk for lesson in lessons}})
        return Response(serializer.data)

    @extend_schema(responses=ProgressSerializer)
    @action(detail=True)
    def progress(self, request, pk=None):
        course = self.get_object()
        return Response(ProgressSerializer(selectors.course_outline(user=request.user, course=course)).data)


class LessonViewSet(viewsets.ReadOnlyModelViewSet):
    """Published lessons; drafts and unpublished lessons do not exist here."""

    # Ids only, and no longer than a database integer holds (a page id is not range-checked by Django):
    # anything else is a plain 404 from the router.
    lookup_value_regex = r"\d{1,18}"

    queryset = LessonPage.objects.none()  # names the model for the schema; get_queryset decides what is served

    def get_queryset(self):
        return selectors.published_lessons()

    def get_serializer_class(self):
        return LessonDetailSerializer if self.action == "retrieve" else LessonSummarySerializer

    def get_serializer(self, instance=None, *args, **kwargs):
        if instance is not None and self.action in {"list", "retrieve"}:
            lessons = instance if isinstance(instance, list) else [instance]
            kwargs.setdefault("context", self.get_serializer_context())["course_ids"] = selectors.course_ids_of(lessons)
        return super().get_serializer(instance, *args, **kwargs)

    @extend_schema(request=None, responses=ProgressSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Mark the lesson as done for the signed-in trainee (enrols them if needed)."""
        lesson: LessonPage = self.get_object()
        services.mark_lesson_done(user=request.user, lesson=lesson)
        course = lesson.get_parent().specific
        return Response(ProgressSerializer(selectors.course_outline(user=request.user, course=course)).data)


class MyEnrollmentsView(APIView):
    """The signed-in user's courses with progress; POST enrols in a course."""

    @extend_schema(responses=ProgressSerializer(many=True))
    def get(self, request):
        return Response(ProgressSerializer(selectors.my_courses(user=request.user), many=True).data)

    @extend_schema(request=EnrollInputSerializer, responses={201: ProgressSerializer})
    def post(self, request):
        data = EnrollInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = selectors.published_courses().filter(pk=data.validated_data["course_id"]).first()
        if course is None:
            raise NotFound()
        services.enroll(user=request.user, course=course)
        entry = selectors.course_outline(user=request.user, course=course)
        return Response(ProgressSerializer(entry).data, status=status.HTTP_201_CREATED)


class PersonProgressView(APIView):
    """Another person's progress, for the staff allowed to see it (404 otherwise)."""

    @extend_schema(responses=ProgressSerializer(many=True))
    def get(self, request, user_id: int):
        person = get_object_or_404(User, pk=user_id)
        if not permissions.can_view_person(request.user, person):
            raise NotFound()
        return Response(ProgressSerializer(selectors.person_progress(person=person), many=True).data)
