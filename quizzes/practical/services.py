"""Writes on hands-on work: hand in a submission, record the automatic check, review it."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms import permissions
from lms.models import Membership, Role, User
from lms.progress import progress_changed
from lms.services import record_audit
from quizzes.models import PracticalTask, Submission, SubmissionStatus, TaskKind
from quizzes.models.tasks import PRACTICE_SITE_KINDS, RESUBMITTABLE

from .checkers.backoffice import check_backoffice
from .checkers.image import ImageRejected, admit_image, check_image, max_upload_bytes
from .checkers.report import CheckReport
from .checkers.topic_page import check_topic_page
from .practice import provision_practice_site
from .selectors import submissions_used

ALLOWED_REVIEW_FILE_TYPES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".zip", ".jpg", ".jpeg", ".png", ".webp"}


class SubmissionRefused(Exception):
    """The work was not accepted for checking; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ReviewRefused(SubmissionRefused):
    """A review decision that cannot be recorded (not allowed, wrong state, missing feedback or rubric levels)."""


def _team_of(user: User):
    membership = Membership.objects.filter(user=user, role=Role.TRAINEE).select_related("team").first()
    return membership.team if membership else None


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def submit_work(*, task: PracticalTask, user: User, upload: UploadedFile | None = None, link: str = "", text: str = "") -> Submission:
    """Hand in work for `task`. Raises SubmissionRefused with a clear message; on refusal nothing is stored.

    Automatic kinds start as “checking” and a background task runs the check once the row is committed.
    """
    kind = task.kind
    stored_extension, content_type, digest = "", "", ""
    if kind == TaskKind.IMAGE:
        if upload is None:
            raise SubmissionRefused(_("Choose the processed picture to upload."))
        try:
            probe = admit_image(upload, size=upload.size, still=task.spec.get("still", True))
        except ImageRejected as rejected:
            raise SubmissionRefused(rejected.message) from None
        stored_extension, content_type = probe.extension, probe.content_type
        digest = _sha256(upload)
    elif kind == TaskKind.REVIEWED:
        link, text = (link or "").strip(), (text or "").strip()
        if upload is not None:
            if not task.accept_file:
                raise SubmissionRefused(_("This task does not take files."))
            stored_extension, content_type, digest = _admit_review_file(upload)
        if link and not task.accept_link:
            raise SubmissionRefused(_("This task does not take links."))
        if text and not task.accept_text:
            raise SubmissionRefused(_("This task does not take text."))
        if upload is None and not link and not text:
            raise SubmissionRefused(_("Hand in a file, a link or some text."))
    area = provision_practice_site(user=user, tasks=[task]) if kind in PRACTICE_SITE_KINDS else None

    submission = None
    try:
        with transaction.atomic():
            # One submission at a time per trainee: a double click or two tabs wait here, then see the first.
            User.objects.select_for_update().filter(pk=user.pk).first()
            previous = list(Submission.objects.filter(task=task, user=user).order_by("-number").only("number", "status", "sha256"))
            _refuse_if_not_allowed(task=task, previous=previous, digest=digest)
            submission = Submission(
                task=task, user=user, number=(previous[0].number + 1) if previous else 1,
                status=SubmissionStatus.CHECKING if task.is_automatic else SubmissionStatus.AWAITING_REVIEW,
                link=link, text=text, page=area, stored_extension=stored_extension, content_type=content_type, sha256=digest,
                language=_report_language(),
            )
            if upload is not None:
                submission.original_name = shortened_name(upload.name or "", Submission._meta.get_field("original_name").max_length)
                submission.file_size = upload.size
                submission.file.save("upload", upload, save=False)
            submission.save()
            if task.is_automatic:
                transaction.on_commit(lambda: enqueue_check(submission.pk))
    except Exception:
        if submission is not None and submission.file:
            submission.file.delete(save=False)
        raise
    return submission


def shortened_name(name: str, limit: int) -> str:
    """`name` cut to `limit` characters, keeping its extension (a name of any length is accepted)."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 16:
        return name[: limit - 1] + "…"
    return stem[: limit - len(extension) - 2] + "…." + extension


def _report_language() -> str:
    current = translation.get_language() or settings.LANGUAGE_CODE
    known = {code for code, _name in settings.LANGUAGES}
    return current if current in known else settings.LANGUAGE_CODE


def _admit_review_file(upload) -> tuple[str, str, str]:
    limit = max_upload_bytes()
    if upload.size == 0:
        raise SubmissionRefused(_("The file is empty (0 bytes)."))
    if upload.size > limit:
        from django.template.defaultfilters import filesizeformat

        raise SubmissionRefused(_("The file is %(size)s; uploads are limited to %(limit)s.") % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
    name = (upload.name or "").lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in ALLOWED_REVIEW_FILE_TYPES:
        raise SubmissionRefused(
            _("Files of this type are not accepted. Allowed: %(types)s.") % {"types": " ".join(sorted(ALLOWED_REVIEW_FILE_TYPES))}
        )
    # Whatever it claims to be, it is only ever offered as a download.
    return extension, "application/octet-stream", _sha256(upload)


def _refuse_if_not_allowed(*, task: PracticalTask, previous: list[Submission], digest: str) -> None:
    if any(s.status == SubmissionStatus.ACCEPTED for s in previous):
        raise SubmissionRefused(_("This task has already been accepted; there is nothing more to hand in."))
    if previous and previous[0].status not in RESUBMITTABLE:
        raise SubmissionRefused(_("Your previous submission is still being checked or reviewed. Wait for its result."))
    if submissions_used(previous) >= task.max_submissions:
        raise SubmissionRefused(
            _("You have used all %(n)s submissions for this task. Ask your trainer if you need another try.") % {"n": task.max_submissions}
        )
    if digest and previous and previous[0].sha256 == digest:
        raise SubmissionRefused(_("This is the same file as your previous submission. Change the picture, then upload it again."))


def enqueue_check(submission_id: int) -> None:
    from .tasks import check_submission

    check_submission.enqueue(submission_id)


def _compute_report(submission: Submission) -> CheckReport:
    task = submission.task
    if task.kind == TaskKind.IMAGE:
        original = task.original_image.file.open("rb") if task.original_image_id else None
        try:
            with submission.file.open("rb") as upload:
                return check_image(upload, spec=task.spec, file_size=submission.file_size or submission.file.size, original=original)
        finally:
            if original is not None:
                original.close()
    area = submission.page
    if area is None:
        report = CheckReport()
        report.error = _("Your practice area no longer exists. Tell your trainer.")
        return report
    if task.kind == TaskKind.TOPIC_PAGE:
        report, page = check_topic_page(area=area, spec=task.spec)
        return report
    return check_backoffice(area=area, spec=task.spec)


def run_check(*, submission_id: int) -> str:
    """Run the automatic check of a submission still “checking” and record the result. Safe to run twice."""
    submission = Submission.objects.select_related("task", "task__original_image", "page").filter(pk=submission_id).first()
    if submission is None or submission.status != SubmissionStatus.CHECKING:
        return "skipped"
    with translation.override(submission.language or settings.LANGUAGE_CODE):
        try:
            report = _compute_report(submission)
        except Exception:  # a checker bug must not leave the trainee waiting forever
            import logging

            logging.getLogger(__name__).exception("check of submission %s failed", submission_id)
            report = CheckReport(error=_("The check could not be completed. Submit again, or tell your trainer if it keeps happening."))
        status = record_check(submission_id=submission_id, report=report)
    return status or "skipped"


def record_check(*, submission_id: int, report: CheckReport) -> str | None:
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("task").get(pk=submission_id)
        if submission.status != SubmissionStatus.CHECKING:
            return None
        if report.passed:
            status = SubmissionStatus.AWAITING_REVIEW if submission.task.needs_confirmation else SubmissionStatus.ACCEPTED
        else:
            status = SubmissionStatus.ERROR if report.error else SubmissionStatus.FAILED
        submission.status, submission.report, submission.checked_at = status, report.as_json(), timezone.now()
        submission.save(update_fields=["status", "report", "checked_at"])
        record_audit(actor=None, action="submission.check", obj=submission, team=_team_of(submission.user),
                     after={"status": status, "passed": report.passed})
    if status == SubmissionStatus.ACCEPTED:
        progress_changed(submission.user, source=submission)
    return status


def review_submission(
    *, submission: Submission, reviewer: User, accept: bool, feedback: str = "", levels: dict[str, str] | None = None
) -> Submission:
    """Accept or return a submission waiting for review. `levels` maps rubric criterion id → chosen level name."""
    if not permissions.can_review_person(reviewer, submission.user):
        raise ReviewRefused(_("You may only review the work of the teams you supervise."))
    feedback = (feedback or "").strip()
    with transaction.atomic():
        locked = Submission.objects.select_for_update().select_related("task").get(pk=submission.pk)
        if locked.status != SubmissionStatus.AWAITING_REVIEW:
            raise ReviewRefused(_("This submission is no longer waiting for review (it is “%(status)s”).") % {"status": locked.get_status_display()})
        if not accept and not feedback:
            raise ReviewRefused(_("Say what to improve when you return work."))
        scores, total = _score(locked.task, levels or {}, required=accept)
        before = {"status": locked.status}
        locked.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
        locked.feedback, locked.reviewer, locked.reviewed_at = feedback, reviewer, timezone.now()
        locked.rubric_scores, locked.score = scores, total
        locked.save(update_fields=["status", "feedback", "reviewer", "reviewed_at", "rubric_scores", "score"])
        record_audit(actor=reviewer, action="submission.accept" if accept else "submission.return", obj=locked,
                     team=_team_of(locked.user), before=before,
                     after={"status": locked.status, "score": str(total) if total is not None else None}, note=feedback[:500])
    if accept:
        progress_changed(locked.user, source=locked)
    return locked


def _score(task: PracticalTask, levels: dict[str, str], *, required: bool) -> tuple[list | None, Decimal | None]:
    criteria = list(task.rubric_criteria.all())
    if not criteria:
        return None, None
    scores, total = [], Decimal(0)
    for criterion in criteria:
        chosen = levels.get(str(criterion.pk), "")
        points = dict(criterion.levels()).get(chosen)
        if points is None:
            if required or chosen:
                raise ReviewRefused(_("Choose a level for “%(criterion)s”.") % {"criterion": criterion.title})
            continue
        scores.append({"criterion": criterion.title, "level": chosen, "points": str(points), "max": str(criterion.max_points())})
        total += points
    return scores, (total if scores else None)
