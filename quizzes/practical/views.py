"""Pages for hands-on tasks: the task and my submissions, the status poll, safe file download, the review queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import permissions
from quizzes.models import PracticalTask, Submission, SubmissionStatus, TaskKind
from quizzes.models.tasks import PRACTICE_SITE_KINDS

from . import selectors, services
from .forms import QueueFilterForm, ReviewForm, SubmissionForm
from .practice import PracticeSiteMissing, provision_practice_site


def _secure_file_response(response):
    # Uploaded bytes are never interpreted by the browser as a page or a script.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def task_detail(request, task_id: int):
    task = get_object_or_404(selectors.published_tasks(), pk=task_id)
    submissions = list(selectors.my_submissions(user=request.user, task=task))
    area = None
    if task.kind in PRACTICE_SITE_KINDS:
        # Here, where the trainee reads what to do, the site is given whatever this task refers to: a task a
        # trainer added or changed since the trainee enrolled is ready the moment they open it.
        try:
            area = provision_practice_site(user=request.user, tasks=[task])
        except PracticeSiteMissing:
            area = None
    return render(request, "quizzes/practical/task_detail.html", {
        "task": task,
        "latest": submissions[0] if submissions else None,
        "history": submissions[1:],
        "form": SubmissionForm(task=task),
        "area": area,
        "can_submit": _can_submit(task, submissions),
        "remaining": max(0, task.max_submissions - selectors.submissions_used(submissions)),
    })


def _can_submit(task, submissions) -> bool:
    if any(s.status == SubmissionStatus.ACCEPTED for s in submissions):
        return False
    if submissions and submissions[0].is_open:
        return False
    return selectors.submissions_used(submissions) < task.max_submissions


@login_required
@require_POST
def submit(request, task_id: int):
    task = get_object_or_404(selectors.published_tasks(), pk=task_id)
    form = SubmissionForm(request.POST, request.FILES, task=task)
    if form.is_valid():
        try:
            services.submit_work(
                task=task, user=request.user, upload=form.cleaned_data.get("file"),
                link=form.cleaned_data.get("link") or "", text=form.cleaned_data.get("text") or "",
            )
        except services.SubmissionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Handed in. The result appears below as soon as the check is done.") if task.is_automatic
                             else _("Handed in. Your trainer will review it."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("practical:task", task_id=task.pk)


def _visible_submission(request, submission_id: int) -> Submission:
    submission = get_object_or_404(Submission.objects.select_related("task", "user"), pk=submission_id)
    if not permissions.can_see_work(request.user, submission.user):
        raise Http404
    return submission


@login_required
def submission_status(request, submission_id: int):
    """Polled by the task page while a check runs."""
    submission = _visible_submission(request, submission_id)
    return JsonResponse({
        "id": submission.pk,
        "status": submission.status,
        "status_label": submission.get_status_display(),
        "checking": submission.status == SubmissionStatus.CHECKING,
        "passed": bool(submission.report and submission.report.get("passed")),
    })


@login_required
def submission_file(request, submission_id: int):
    submission = _visible_submission(request, submission_id)
    if not submission.file:
        raise Http404
    is_picture = submission.task.kind == TaskKind.IMAGE and submission.content_type.startswith("image/")
    response = FileResponse(
        submission.file.open("rb"),
        content_type=submission.content_type if is_picture else "application/octet-stream",
        as_attachment=not is_picture,
        filename=f"submission-{submission.pk}{submission.stored_extension}",
    )
    return _secure_file_response(response)


@login_required
def task_original(request, task_id: int):
    task = get_object_or_404(selectors.published_tasks(), pk=task_id, original_image__isnull=False)
    image = task.original_image
    extension = "." + image.file.name.rsplit(".", 1)[-1].lower() if "." in image.file.name else ""
    response = FileResponse(image.file.open("rb"), as_attachment=True, filename=f"task-{task.pk}-original{extension}")
    return _secure_file_response(response)


@login_required
def review_queue(request):
    if not permissions.reviewable_teams(request.user).exists():
        raise Http404
    teams = permissions.reviewable_teams(request.user)
    data = request.GET.copy()
    data.setdefault("status", SubmissionStatus.AWAITING_REVIEW)
    oversees_all = permissions.is_bureau_admin(request.user)
    form = QueueFilterForm(data, teams=teams, tasks=PracticalTask.objects.all(), oversees_all=oversees_all)
    filters = form.cleaned_data if form.is_valid() else {"status": SubmissionStatus.AWAITING_REVIEW}
    queue = selectors.review_queue(
        reviewer=request.user, status=filters.get("status") or None, team=filters.get("team"), task=filters.get("task"),
        unsupervised=bool(filters.get("unsupervised")),
    )
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    return render(
        request, "quizzes/practical/review_queue.html", {"form": form, "page": page, "oversees_all": oversees_all}
    )


@login_required
def review_detail(request, submission_id: int):
    submission = get_object_or_404(Submission.objects.select_related("task", "user", "reviewer"), pk=submission_id)
    if not permissions.can_review_person(request.user, submission.user):
        raise Http404
    form = ReviewForm(request.POST or None, task=submission.task)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_submission(
                submission=submission, reviewer=request.user, accept=form.cleaned_data["decision"] == "accept",
                feedback=form.cleaned_data["feedback"], levels=form.levels(),
            )
        except services.ReviewRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("practical:review_queue")
    history = selectors.my_submissions(user=submission.user, task=submission.task)
    return render(request, "quizzes/practical/review_detail.html", {"submission": submission, "form": form, "history": history})


def pinyin_slug(request):
    """Admin only (registered under /admin/): the pinyin slug a practice page titled `title` would get under `parent`."""
    from wagtail.models import Page

    from .slugs import slug_for

    try:
        parent_id, page_id = int(request.GET.get("parent", "")), int(request.GET.get("page") or 0)
    except ValueError:
        return JsonResponse({"error": _("Give the parent page's number.")}, status=400)
    parent = Page.objects.filter(pk=parent_id).first()
    # Only where the user may add pages (or edit the page): another trainee's section is none of their business.
    page = Page.objects.child_of(parent).filter(pk=page_id).first() if parent and page_id else None
    allowed = parent is not None and (
        parent.permissions_for_user(request.user).can_add_subpage() or (page is not None and page.permissions_for_user(request.user).can_edit())
    )
    if not allowed:
        raise Http404
    title = (request.GET.get("title") or "")[:255]
    return JsonResponse({"slug": slug_for(slug="", title=title, parent=parent, page=page) if title.strip() else ""})
