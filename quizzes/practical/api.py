"""REST API for hands-on tasks: the tasks, my submissions (upload, status, report), the trainers' queue and review."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from lms import permissions
from quizzes.models import PracticalTask, Submission

from . import selectors, services


class TaskSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    has_original = serializers.SerializerMethodField()

    class Meta:
        model = PracticalTask
        fields = ["id", "title", "kind", "kind_label", "instructions", "spec", "needs_confirmation", "max_submissions", "has_original"]

    def get_has_original(self, task) -> bool:
        return task.original_image_id is not None


class SubmissionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)
    trainee = serializers.CharField(source="user.get_full_name", read_only=True)
    team = serializers.CharField(source="team_name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Submission
        fields = ["id", "task", "task_title", "trainee", "team", "number", "status", "status_label", "created_at", "checked_at",
                  "original_name", "file_size", "link", "text", "report", "feedback", "rubric_scores", "score", "reviewed_at"]


class SubmissionInput(serializers.Serializer):
    task = serializers.PrimaryKeyRelatedField(queryset=PracticalTask.objects.all())
    file = serializers.FileField(required=False)
    link = serializers.URLField(required=False, allow_blank=True, max_length=500)
    text = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class TaskList(generics.ListAPIView):
    serializer_class = TaskSerializer
    queryset = selectors.published_tasks()


class TaskDetail(generics.RetrieveAPIView):
    serializer_class = TaskSerializer
    queryset = selectors.published_tasks()


class MySubmissions(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=SubmissionSerializer(many=True), summary="My submissions, newest first")
    def get(self, request):
        return Response(SubmissionSerializer(selectors.my_submissions(user=request.user)[:200], many=True).data)

    @extend_schema(
        request={"multipart/form-data": SubmissionInput}, responses={201: SubmissionSerializer},
        summary="Hand in work (multipart: task + file, or link/text for reviewed work)",
        examples=[OpenApiExample("refused", value={"detail": "文件是空的（0 字节）。"}, response_only=True, status_codes=["400"])],
    )
    def post(self, request):
        data = SubmissionInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            submission = services.submit_work(
                task=data.validated_data["task"], user=request.user, upload=data.validated_data.get("file"),
                link=data.validated_data.get("link", ""), text=data.validated_data.get("text", ""),
            )
        except services.SubmissionRefused as refused:
            return Response({"detail": refused.message}, status=status.HTTP_400_BAD_REQUEST)
        submission.refresh_from_db()
        return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)


class MySubmissionDetail(generics.RetrieveAPIView):
    serializer_class = SubmissionSerializer

    def get_queryset(self):
        return selectors.my_submissions(user=self.request.user)


class ReviewQueue(generics.ListAPIView):
    serializer_class = SubmissionSerializer

    def get_queryset(self):
        status_filter = self.request.query_params.get("status", "review") or None
        return selectors.review_queue(reviewer=self.request.user, status=status_filter)


class ReviewDecision(APIView):
    @extend_schema(
        request=inline_serializer("ReviewInput", {
            "decision": serializers.ChoiceField(choices=["accept", "return"]),
            "feedback": serializers.CharField(required=False, allow_blank=True),
            "levels": serializers.DictField(child=serializers.CharField(), required=False, help_text="rubric criterion id → level name"),
        }),
        responses={200: SubmissionSerializer},
        summary="Accept or return a submission waiting for review",
    )
    def post(self, request, pk: int):
        submission = get_object_or_404(Submission.objects.select_related("user", "task"), pk=pk)
        if not permissions.can_review_person(request.user, submission.user):
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        decision = request.data.get("decision")
        if decision not in ("accept", "return"):
            return Response({"detail": "decision: accept | return"}, status=status.HTTP_400_BAD_REQUEST)
        levels = request.data.get("levels") or {}
        if not isinstance(levels, dict):
            return Response({"detail": "levels must be an object"}, status=status.HTTP_400_BAD_REQUEST)
        try:
            reviewed = services.review_submission(
                submission=submission, reviewer=request.user, accept=decision == "accept",
                feedback=str(request.data.get("feedback", "")), levels={str(k): str(v) for k, v in levels.items()},
            )
        except services.ReviewRefused as refused:
            return Response({"detail": refused.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response(SubmissionSerializer(reviewed).data)


urlpatterns = [
    path("tasks/", TaskList.as_view(), name="api-tasks"),
    path("tasks/<int:pk>/", TaskDetail.as_view(), name="api-task"),
    path("my/submissions/", MySubmissions.as_view(), name="api-my-submissions"),
    path("my/submissions/<int:pk>/", MySubmissionDetail.as_view(), name="api-my-submission"),
    path("review/submissions/", ReviewQueue.as_view(), name="api-review-queue"),
    path("review/submissions/<int:pk>/decision/", ReviewDecision.as_view(), name="api-review-decision"),
]
