"""Handing in image work: stored under a generated name, checked in the background, resubmission rules."""

import pytest
from PIL import Image

from lms.models import AuditEvent
from quizzes.models import Submission
from quizzes.practical.services import SubmissionRefused, submit_work

from .conftest import upload
from .images import (
    animated_gif,
    cmyk_jpeg,
    jpeg,
    jpeg_html_polyglot,
    photo,
    png_claiming,
    png_with_text,
    png_ztxt_bomb_after_pixels,
    truncated_jpeg,
)

pytestmark = pytest.mark.django_db


def good_picture():
    return jpeg(photo((1600, 1200)).resize((800, 600)), quality=82)


def media_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file() and "practical" in p.parts]


def test_passing_picture_is_accepted_after_the_background_check(submit, image_task, trainee, media_root):
    submission = submit(task=image_task, user=trainee, upload=upload(good_picture(), name="../../evil name.php.jpg"))
    assert submission.status == "accepted"
    assert submission.report["passed"] and len(submission.report["criteria"]) == 5
    # Stored under a generated name with the detected format's extension, never the trainee's filename.
    stored = submission.file.name
    assert stored.startswith(f"practical/{image_task.pk}/") and stored.endswith(".jpg") and "evil" not in stored
    assert submission.original_name == "evil name.php.jpg"
    assert AuditEvent.objects.filter(action="submission.check", object_id=str(submission.pk)).exists()


def test_failing_picture_gets_a_report_and_may_be_resubmitted(submit, image_task, trainee):
    first = submit(task=image_task, user=trainee, upload=upload(cmyk_jpeg((800, 600))))
    assert first.status == "failed"
    failed = [c["key"] for c in first.report["criteria"] if not c["passed"]]
    assert failed == ["mode"]
    second = submit(task=image_task, user=trainee, upload=upload(good_picture()))
    assert (second.number, second.status) == (2, "accepted")


@pytest.mark.parametrize("data", [truncated_jpeg(), jpeg_html_polyglot(), png_ztxt_bomb_after_pixels()], ids=["truncated", "polyglot", "ztxt-bomb"])
def test_a_damaged_or_hostile_upload_does_not_use_up_a_submission(submit, image_task, trainee, media_root, data):
    image_task.max_submissions = 1
    image_task.save()
    for _try in range(3):
        with pytest.raises(SubmissionRefused):
            submit_work(task=image_task, user=trainee, upload=upload(data))
    assert not Submission.objects.exists() and media_files(media_root) == []
    submission = submit(task=image_task, user=trainee, upload=upload(good_picture()))
    assert (submission.number, submission.status) == (1, "accepted")


def test_a_check_that_could_not_be_completed_does_not_use_up_a_submission(submit, image_task, trainee):
    image_task.max_submissions = 1
    image_task.save()
    original = image_task.original_image
    image_task.original_image = None  # the trainer removed the original: the comparison cannot run
    image_task.save()
    first = submit(task=image_task, user=trainee, upload=upload(cmyk_jpeg((800, 600))))
    assert first.status == "error" and "原图" in first.report["error"]
    image_task.original_image = original
    image_task.save()
    second = submit(task=image_task, user=trainee, upload=upload(good_picture()))
    assert (second.number, second.status) == (2, "accepted")


def test_automatic_pass_can_wait_for_a_trainer(submit, image_task, trainee):
    image_task.needs_confirmation = True
    image_task.save()
    submission = submit(task=image_task, user=trainee, upload=upload(good_picture()))
    assert submission.status == "review" and submission.report["passed"]


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "空"),
        (b"<html><body><script>alert(1)</script></body></html>", "HTML"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        (png_claiming(40_000, 40_000), "解压炸弹"),
        (animated_gif(), "动图"),
        (png_with_text(1024 * 1024), "文本数据块"),
    ],
    ids=["empty", "html", "svg", "bomb", "animated", "png-text"],
)
def test_bad_uploads_are_refused_and_leave_nothing_behind(image_task, trainee, media_root, data, words):
    with pytest.raises(SubmissionRefused) as refused:
        submit_work(task=image_task, user=trainee, upload=upload(data))
    assert words in refused.value.message
    assert not Submission.objects.exists()
    assert media_files(media_root) == []


def test_the_same_file_twice_in_a_row_is_refused(submit, image_task, trainee):
    data = cmyk_jpeg((800, 600))
    submit(task=image_task, user=trainee, upload=upload(data))
    with pytest.raises(SubmissionRefused) as refused:
        submit_work(task=image_task, user=trainee, upload=upload(data))
    assert "相同" in refused.value.message
    assert Submission.objects.count() == 1


def test_no_second_submission_while_one_is_being_checked(image_task, trainee):
    # Without running the on-commit callbacks the first stays "checking", as while a worker is busy.
    submit_work(task=image_task, user=trainee, upload=upload(good_picture()))
    with pytest.raises(SubmissionRefused) as refused:
        submit_work(task=image_task, user=trainee, upload=upload(cmyk_jpeg()))
    assert "还在" in refused.value.message
    assert Submission.objects.count() == 1


def test_submission_limit(submit, image_task, trainee):
    image_task.max_submissions = 2
    image_task.save()
    submit(task=image_task, user=trainee, upload=upload(cmyk_jpeg((800, 600))))
    submit(task=image_task, user=trainee, upload=upload(cmyk_jpeg((800, 601))))
    with pytest.raises(SubmissionRefused) as refused:
        submit_work(task=image_task, user=trainee, upload=upload(good_picture()))
    assert "2" in refused.value.message
    assert Submission.objects.count() == 2


def test_nothing_more_after_acceptance(submit, image_task, trainee):
    submit(task=image_task, user=trainee, upload=upload(good_picture()))
    with pytest.raises(SubmissionRefused):
        submit_work(task=image_task, user=trainee, upload=upload(cmyk_jpeg()))


def test_a_failure_while_saving_leaves_no_file(image_task, trainee, media_root, monkeypatch):
    from quizzes.models import Submission as Model

    def explode(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Model, "save", explode)
    with pytest.raises(RuntimeError):
        submit_work(task=image_task, user=trainee, upload=upload(good_picture()))
    assert media_files(media_root) == []


def test_checking_is_idempotent(submit, image_task, trainee):
    from quizzes.practical.services import run_check

    submission = submit(task=image_task, user=trainee, upload=upload(good_picture()))
    assert run_check(submission_id=submission.pk) == "skipped"
    assert AuditEvent.objects.filter(action="submission.check").count() == 1


def test_large_original_is_refused_when_over_the_pixel_limit(settings, image_task, trainee):
    settings.PRACTICAL_IMAGE_MAX_PIXELS = 400_000
    data = jpeg(Image.new("RGB", (1000, 800), "white"))
    with pytest.raises(SubmissionRefused) as refused:
        submit_work(task=image_task, user=trainee, upload=upload(data))
    assert "百万像素" in refused.value.message
