"""Question-bank API for trainers: import a file (dry run = preview) and export a category.

POST /api/v1/question-bank/import/  multipart: file, category, file_format (optional: guessed), dry_run
    All or nothing: a file with any question error stores nothing (400, code "question_errors", every
    error in `issues`); a dry run says the same with `can_import` false. Unsupported types are issues of
    kind "skipped" and do not block the rest.
GET  /api/v1/question-bank/export/?category=PATH&file_format=gift|xml|xlsx
Trainers and bureau admins only (lms.permissions.can_manage_quizzes); anyone else gets 403.
"""

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from lms import permissions

from ..exporting import CONTENT_TYPES, EXPORT_FORMATS, SUFFIXES, export_category
from ..importing import FORMAT_NAMES, ImportFileError, guess_format, import_questions, parse_file
from ..models import QuestionCategory


def _require_author(request) -> None:
    if not permissions.can_manage_quizzes(request.user):
        raise PermissionDenied(_("Only trainers and the bureau may import or export question banks."))


class ImportInput(serializers.Serializer):
    file = serializers.FileField()
    category = serializers.CharField(max_length=400)
    # Not "format": DRF reads ?format= to choose a renderer.
    file_format = serializers.ChoiceField(choices=FORMAT_NAMES, required=False)
    dry_run = serializers.BooleanField(default=False)


class IssueOutput(serializers.Serializer):
    line = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["error", "skipped", "note"], help_text="error blocks the whole file; skipped: a type not supported")
    qtype = serializers.CharField()
    message = serializers.CharField()
    text = serializers.CharField(source="describe", help_text="Line, question name and message in one sentence")


class ImportOutput(serializers.Serializer):
    format = serializers.CharField()
    dry_run = serializers.BooleanField()
    can_import = serializers.BooleanField(help_text="False when any question has an error: then nothing is imported")
    questions = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = serializers.IntegerField()
    skipped = serializers.IntegerField()
    issues = IssueOutput(many=True)


class ImportRefused(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    issues = IssueOutput(many=True, required=False)
    # code "invalid": the request itself was incomplete; each field's messages, as DRF words them.
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class QuestionImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ImportInput}, responses={200: ImportOutput, 400: ImportRefused})
    def post(self, request):
        _require_author(request)
        data_in = ImportInput(data=request.data)
        if not data_in.is_valid():
            # One shape for every 400 of this endpoint (the schema says so), field errors included.
            fields = {name: [str(message) for message in messages] for name, messages in data_in.errors.items()}
            detail = " ".join(message for messages in fields.values() for message in messages)
            return Response({"detail": detail, "code": "invalid", "fields": fields}, status=status.HTTP_400_BAD_REQUEST)
        upload = data_in.validated_data["file"]
        data = upload.read()
        fmt = data_in.validated_data.get("file_format") or guess_format(data=data, filename=upload.name)
        dry_run = data_in.validated_data["dry_run"]
        try:
            if dry_run:
                parsed = parse_file(data=data, fmt=fmt)
                questions, issues, counts = parsed.questions, parsed.issues, (0, 0, 0)
            else:
                report = import_questions(data=data, fmt=fmt, category_path=data_in.validated_data["category"], actor=request.user)
                questions, issues, counts = report.questions, report.issues, (report.created, report.updated, report.unchanged)
        except ImportFileError as error:
            return Response({"detail": error.message, "code": "bad_file"}, status=status.HTTP_400_BAD_REQUEST)
        errors = [issue for issue in issues if issue.blocking]
        if errors and not dry_run:
            detail = ngettext(
                "%(n)d question has an error; nothing of the file was imported.",
                "%(n)d questions have errors; nothing of the file was imported.", len(errors)) % {"n": len(errors)}
            return Response(ImportRefused({"detail": detail, "code": "question_errors", "issues": issues}).data, status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportOutput({
            "format": fmt, "dry_run": dry_run, "can_import": not errors, "questions": len(questions),
            "created": counts[0], "updated": counts[1], "unchanged": counts[2], "errors": len(errors),
            "skipped": sum(issue.kind == "skipped" for issue in issues), "issues": issues,
        }).data)


class QuestionExportView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("category", str, required=True), OpenApiParameter("file_format", str, enum=list(EXPORT_FORMATS))],
        responses={(200, "application/octet-stream"): bytes},
    )
    def get(self, request):
        _require_author(request)
        fmt = request.query_params.get("file_format", "xml")
        if fmt not in EXPORT_FORMATS:
            return Response({"detail": _("Unknown format “%(fmt)s”: use gift, xml or xlsx.") % {"fmt": fmt}, "code": "bad_format"}, status=400)
        category = QuestionCategory.objects.filter(path=(request.query_params.get("category") or "").strip().strip("/")).first()
        if category is None:
            return Response({"detail": _("No question category “%(path)s”.") % {"path": request.query_params.get("category", "")}, "code": "not_found"}, status=404)
        result = export_category(category=category, fmt=fmt)
        response = HttpResponse(result.content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{slugify(category.path) or "category"}{SUFFIXES[fmt]}"'
        return response
