from rest_framework import serializers

from ..models import CoursePage, LessonPage


class CourseSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CoursePage
        fields = ["id", "title", "slug", "summary", "estimated_hours", "audience", "url"]

    def get_url(self, course) -> str:
        return course.url or ""


class LessonSummarySerializer(serializers.ModelSerializer):
    course_id = serializers.SerializerMethodField()

    class Meta:
        model = LessonPage
        fields = ["id", "title", "slug", "intro", "is_required", "estimated_minutes", "course_id"]

    def get_course_id(self, lesson) -> int | None:
        return self.context.get("course_ids", {}).get(lesson.pk)


class LessonDetailSerializer(LessonSummarySerializer):
    body_html = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()

    class Meta(LessonSummarySerializer.Meta):
        fields = LessonSummarySerializer.Meta.fields + ["body", "body_html"]

    def get_body(self, lesson) -> list[dict]:
        return list(lesson.body.raw_data)

    def get_body_html(self, lesson) -> str:
        return str(lesson.body)


class RequirementSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    done = serializers.BooleanField()


class ProgressSerializer(serializers.Serializer):
    course = CourseSerializer()
    enrolled = serializers.BooleanField()
    enrolled_at = serializers.DateTimeField(source="enrollment.enrolled_at", allow_null=True, default=None)
    completed_at = serializers.DateTimeField(source="enrollment.completed_at", allow_null=True, default=None)
    percent = serializers.IntegerField()
    done_lesson_ids = serializers.ListField(source="done_lessons", child=serializers.IntegerField())
    continue_lesson_id = serializers.IntegerField(source="continue_lesson.pk", allow_null=True, default=None)
    requirements = RequirementSerializer(many=True)


class EnrollInputSerializer(serializers.Serializer):
    course_id = serializers.IntegerField()
