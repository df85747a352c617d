"""Bulk issue and render: commands, dry run, resuming without duplicates or gaps."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from certificates import jobs, services
from certificates.models import BulkJob, Certificate
from tests.factories import UserFactory

from .conftest import complete_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def graduates(team, programme, course, second_course, django_capture_on_commit_callbacks):
    """Four trainees of `team` who completed the programme, with automatic issuance switched off
    (their completion callbacks are captured and dropped)."""
    people = [UserFactory(role="trainee", team=team) for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=False):
        for person in people:
            complete_course(person, course)
            complete_course(person, second_course)
    assert not Certificate.objects.exists()
    return people


def test_dry_run_changes_nothing(graduates, programme):
    out = StringIO()
    call_command("issue_certificates", "--programme", programme.slug, "--dry-run", stdout=out)
    assert "4 certificate(s) would be issued" in out.getvalue()
    assert not Certificate.objects.exists() and not BulkJob.objects.exists()


def test_issue_command_issues_renders_and_is_idempotent(graduates, programme, other_trainee):
    out = StringIO()
    call_command("issue_certificates", "--programme", programme.slug, "--team", "hanshou", stdout=out)
    assert "4 issued" in out.getvalue()
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert [s[-6:] for s in serials] == ["000001", "000002", "000003", "000004"]
    assert all(Certificate.objects.values_list("sha256", flat=True))
    call_command("issue_certificates", "--programme", programme.slug, stdout=StringIO())
    assert Certificate.objects.count() == 4


def test_unknown_programme_or_team_is_a_clear_error(programme):
    with pytest.raises(CommandError, match="No programme"):
        call_command("issue_certificates", "--programme", "nope")
    with pytest.raises(CommandError, match="No county team"):
        call_command("issue_certificates", "--programme", programme.slug, "--team", "nope")
    with pytest.raises(CommandError, match="--since"):
        call_command("render_certificates", "--since", "yesterday")


def test_an_interrupted_job_resumes_without_duplicates_or_gaps(graduates, programme):
    job = jobs.create_job(kind=BulkJob.Kind.ISSUE, actor=None, programme=programme)
    jobs.run_job(job_id=job.pk, limit=2)  # the "crash": the worker stops after two
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.changed) == ("running", 2, 4, 2)
    call_command("issue_certificates", "--programme", programme.slug, "--resume", str(job.pk), stdout=StringIO())
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.changed) == ("done", 4, 4, 4)
    numbers = sorted(int(s[-6:]) for s in Certificate.objects.values_list("serial", flat=True))
    assert numbers == [1, 2, 3, 4]


def test_a_crash_while_rendering_leaves_the_job_resumable(graduates, programme, monkeypatch):
    job = jobs.create_job(kind=BulkJob.Kind.ISSUE, actor=None, programme=programme)
    calls = {"n": 0}
    real = services.render_certificate

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "render_certificate", flaky)
    with pytest.raises(OSError):
        jobs.run_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and "disk full" in job.error
    monkeypatch.setattr(services, "render_certificate", real)
    jobs.run_job(job_id=job.pk)
    assert Certificate.objects.count() == 4
    # The certificate whose render crashed has no PDF yet; render_certificates finds it.
    missing = Certificate.objects.filter(sha256="")
    assert missing.count() == 1
    call_command("render_certificates", "--programme", programme.slug, stdout=StringIO())
    assert not Certificate.objects.filter(sha256="").exists()


def test_render_since_rerenders_older_pdfs(certificate):
    old_hash = certificate.sha256
    certificate.holder_name = "李明"
    Certificate.objects.filter(pk=certificate.pk).update(holder_name="李明亮")
    out = StringIO()
    call_command("render_certificates", "--since", "2999-01-01", stdout=out)
    assert "1 PDF(s) rendered" in out.getvalue()
    certificate.refresh_from_db()
    assert certificate.sha256 != old_hash


def test_a_queued_job_shows_no_progress_until_it_runs(programme):
    job = jobs.create_job(kind=BulkJob.Kind.RENDER, actor=None, programme=programme)
    assert job.percent == 0
    job = jobs.run_job(job_id=job.pk)
    assert (job.state, job.total, job.percent) == ("done", 0, 100)


@pytest.fixture
def queued_tasks(settings):
    """Tasks are queued, not run: the test plays the workers."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def test_a_bulk_job_is_queued_as_chunks_any_worker_can_take(graduates, programme, settings, queued_tasks):
    from certificates import tasks

    settings.CERTIFICATE_JOB_CHUNK_SIZE = 2
    job = jobs.create_job(kind=BulkJob.Kind.ISSUE, actor=None, programme=programme)
    assert tasks.run_bulk_job.call(job_id=job.pk) == 2
    queued = [r for r in queued_tasks.results if r.task.name == "run_bulk_chunk"]
    assert len(queued) == 2
    job.refresh_from_db()
    assert (job.state, job.total, job.done) == ("running", 4, 0)
    # Two workers, each taking a chunk, in whatever order.
    chunk_ids = [r.kwargs["chunk_id"] for r in queued]
    assert tasks.run_bulk_chunk.call(chunk_id=chunk_ids[1]) == 2
    job.refresh_from_db()
    assert (job.state, job.done, job.percent) == ("running", 2, 50)
    assert tasks.run_bulk_chunk.call(chunk_id=chunk_ids[0]) == 2
    job.refresh_from_db()
    assert (job.state, job.done, job.changed) == ("done", 4, 4)
    # A chunk taken again (a retried task) changes nothing.
    assert tasks.run_bulk_chunk.call(chunk_id=chunk_ids[0]) == 0
    assert jobs.run_job(job_id=job.pk).done == 4
    numbers = sorted(int(s[-6:]) for s in Certificate.objects.values_list("serial", flat=True))
    assert numbers == [1, 2, 3, 4]
    assert sorted(Certificate.objects.values_list("holder_id", flat=True)) == sorted(p.pk for p in graduates)


def test_a_chunk_interrupted_midway_resumes_after_its_last_item(graduates, programme, settings, queued_tasks):
    from certificates import tasks
    from certificates.models import BulkJobChunk

    settings.CERTIFICATE_JOB_CHUNK_SIZE = 4
    job = jobs.create_job(kind=BulkJob.Kind.ISSUE, actor=None, programme=programme)
    tasks.run_bulk_job.call(job_id=job.pk)
    (chunk,) = BulkJobChunk.objects.filter(job=job)
    assert jobs.run_chunk(chunk_id=chunk.pk, limit=3) == 3  # the worker dies after three
    # The job started again queues the unfinished chunk; another worker finishes it.
    assert tasks.run_bulk_job.call(job_id=job.pk) == 1
    assert tasks.run_bulk_chunk.call(chunk_id=chunk.pk) == 1
    job.refresh_from_db()
    assert (job.state, job.done, job.changed) == ("done", 4, 4)
    assert Certificate.objects.count() == 4
