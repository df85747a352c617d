"""My certificates, downloads and the bureau pages: who may do what, and what they get."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import BulkJob, Certificate, CertificateStatus
from lms.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# ../shared/outside from the repository root (from a worktree under wt/, one level further up).
SCHEMA = next(
    (
        base / "shared/outside/openbadges/achievementcredential.schema.json"
        for base in (ROOT.parent, ROOT.parent.parent)
        if (base / "shared/outside/openbadges/achievementcredential.schema.json").exists()
    ),
    ROOT.parent / "shared/outside/openbadges/achievementcredential.schema.json",
)


def test_my_certificates_lists_downloads_and_share_link(client, certificate, django_assert_max_num_queries):
    client.force_login(certificate.holder)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.serial in page and certificate.verification_url in page
    assert reverse("certificates:pdf", args=[certificate.pk]) in page
    assert reverse("certificates:badge", args=[certificate.pk]) in page


def test_my_certificates_query_count_does_not_grow(client, trainee, programme, bureau_admin, django_assert_max_num_queries):
    from .factories import ProgrammeFactory

    for _ in range(4):
        services.issue_certificate(holder=trainee, programme=ProgrammeFactory(), actor=bureau_admin, manual=True)
    client.force_login(trainee)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("certificates:mine")).status_code == 200


def test_empty_state_points_to_my_courses(client, trainee):
    client.force_login(trainee)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert reverse("courses:my_courses") in page


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("holder", 200),
        ("team_lead", 200),
        ("trainer", 200),
        ("bureau_admin", 200),
        ("other_trainee", 404),
        ("other_trainer", 404),
    ],
)
def test_pdf_download_permissions(client, certificate, who, expected, request):
    if who == "holder":
        user = certificate.holder
    elif who == "other_trainer":
        user = UserFactory(role="trainer")
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    badge = client.get(reverse("certificates:badge", args=[certificate.pk]))
    assert badge.status_code == expected


def test_anonymous_download_goes_to_login(client, certificate):
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_missing_pdf_is_rendered_on_download(client, trainee, programme, bureau_admin):
    certificate = services.issue_certificate(holder=trainee, programme=programme, actor=bureau_admin, manual=True)
    assert not certificate.sha256
    client.force_login(trainee)
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.sha256


def test_open_badge_export_is_valid_ob3(client, certificate):
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.exists():
        pytest.skip(f"Open Badges 3.0 schema not found at {SCHEMA}")
    client.force_login(certificate.holder)
    response = client.get(reverse("certificates:badge", args=[certificate.pk]))
    credential = json.loads(response.content)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft201909Validator.check_schema(schema)
    jsonschema.Draft201909Validator(schema).validate(credential)
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["id"] == certificate.verification_url
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == "李明"
    assert credential["credentialSubject"]["achievement"]["name"] == "常德市商务网站管理员资格"
    assert "validUntil" in credential


@pytest.mark.parametrize("who", ["trainee", "trainer", "team_lead"])
def test_bureau_pages_are_for_the_bureau_only(client, certificate, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("certificates:manage_list")).status_code == 403
    assert client.get(reverse("certificates:manage_detail", args=[certificate.pk])).status_code == 403
    assert client.post(reverse("certificates:manage_revoke", args=[certificate.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("certificates:manage_rerender", args=[certificate.pk])).status_code == 403
    assert client.get(reverse("certificates:team_zip", args=["hanshou"])).status_code == 403
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_bureau_searches_and_filters(client, certificate, other_trainee, programme, bureau_admin, django_assert_max_num_queries):
    other = services.issue_certificate(holder=other_trainee, programme=programme, actor=bureau_admin, manual=True)
    client.force_login(bureau_admin)
    url = reverse("certificates:manage_list")
    assert certificate.serial in client.get(url, {"q": "李明"}).content.decode()
    assert certificate.serial not in client.get(url, {"q": "王芳"}).content.decode()
    by_team = client.get(url, {"team": "lixian"}).content.decode()
    assert other.serial in by_team and certificate.serial not in by_team
    services.revoke_certificate(certificate=certificate, actor=bureau_admin, reason="x")
    revoked = client.get(url, {"status": "revoked"}).content.decode()
    assert certificate.serial in revoked and other.serial not in revoked
    with django_assert_max_num_queries(14):
        client.get(url)


def test_bureau_revokes_with_a_reason(client, certificate, bureau_admin):
    client.force_login(bureau_admin)
    url = reverse("certificates:manage_revoke", args=[certificate.pk])
    client.post(url, {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID
    client.post(url, {"reason": "培训记录不实"})
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED and certificate.revocation_reason == "培训记录不实"


def test_bureau_corrects_a_name(client, certificate, bureau_admin):
    client.force_login(bureau_admin)
    old_hash = certificate.sha256
    client.post(reverse("certificates:manage_rerender", args=[certificate.pk]), {"holder_name": "李明远"})
    certificate.refresh_from_db()
    assert certificate.holder_name == "李明远" and certificate.sha256 != old_hash


def test_bureau_issues_by_hand_with_clear_errors(client, trainee, programme, bureau_admin):
    client.force_login(bureau_admin)
    url = reverse("certificates:manage_issue")
    response = client.post(url, {"programme": programme.pk, "username": "nobody"}, follow=True)
    assert "没有使用该用户名的有效用户" in response.content.decode()
    response = client.post(url, {"programme": programme.pk, "username": trainee.username}, follow=True)
    certificate = Certificate.objects.get(holder=trainee)
    assert certificate.issued_by == bureau_admin and certificate.sha256
    response = client.post(url, {"programme": programme.pk, "username": trainee.username}, follow=True)
    assert "已持有该项目的有效证书" in response.content.decode()
    assert Certificate.objects.count() == 1


def test_bulk_issue_from_the_page_runs_in_the_background(
    client, trainee, programme, course, second_course, bureau_admin, django_capture_on_commit_callbacks
):
    from .conftest import complete_course

    complete_course(trainee, course)
    complete_course(trainee, second_course)
    Certificate.objects.all().delete()
    client.force_login(bureau_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:manage_bulk"), {"kind": "issue", "programme": programme.pk})
    job = BulkJob.objects.get()
    assert response["Location"] == reverse("certificates:manage_job", args=[job.pk])
    progress = client.get(response["Location"], {"format": "json"}).json()
    assert progress == {"state": "done", "done": 1, "total": 1, "changed": 1, "percent": 100}
    assert Certificate.objects.get().holder == trainee
    assert AuditEvent.objects.filter(action="certificate.bulk_issue").exists()


def test_team_zip_has_every_live_pdf_and_an_index(client, certificate, bureau_admin, media_root):
    client.force_login(bureau_admin)
    response = client.get(reverse("certificates:team_zip", args=["hanshou"]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert f"{certificate.serial}-李明.pdf" in names and "index.csv" in names
    assert archive.read(f"{certificate.serial}-李明.pdf") == (media_root / certificate.pdf.name).read_bytes()
    index = archive.read("index.csv").decode("utf-8-sig")
    assert index.startswith("证书编号,姓名") and certificate.sha256 in index


def test_nav_links(client, trainee, bureau_admin):
    client.force_login(trainee)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert reverse("certificates:manage_list") not in page
    client.force_login(bureau_admin)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert reverse("certificates:manage_list") in page


def test_bureau_admin_authors_programmes_in_the_wagtail_admin(client, programme, bureau_admin, trainer):
    client.force_login(bureau_admin)
    listing = client.get("/admin/snippets/certificates/programme/")
    assert listing.status_code == 200 and "常德市商务网站管理员资格" in listing.content.decode()
    assert client.get(f"/admin/snippets/certificates/programme/edit/{programme.pk}/").status_code == 200
    client.force_login(trainer)
    assert client.get("/admin/snippets/certificates/programme/").status_code in (302, 403)


def test_api_lists_my_certificates_only(client, certificate, other_trainee):
    client.force_login(certificate.holder)
    data = client.get("/api/v1/me/certificates/").json()
    assert [row["serial"] for row in data] == [certificate.serial]
    assert data[0]["holder"] == "李明" and data[0]["pdf_url"] == reverse("certificates:pdf", args=[certificate.pk])
    client.force_login(other_trainee)
    assert client.get("/api/v1/me/certificates/").json() == []
    client.logout()
    assert client.get("/api/v1/me/certificates/").status_code in (401, 403)


def test_a_programme_with_certificates_cannot_be_deleted_in_the_admin(client, certificate, bureau_admin):
    from certificates.models import Programme

    client.force_login(bureau_admin)
    url = f"/admin/snippets/certificates/programme/delete/{certificate.programme.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)
    assert response.status_code == 200 and "不能删除" in response.content.decode()
    assert Programme.objects.filter(pk=certificate.programme.pk).exists()


@pytest.mark.parametrize(
    ("holder_name", "expected"),
    [
        ("李" * 300, "不能超过 100 个字符"),
        ("   ", "姓名不能为空"),
        ("李明/王芳", "不能包含"),
        ("..", "不能包含"),
    ],
)
def test_rename_says_what_is_wrong_with_the_name(client, certificate, bureau_admin, holder_name, expected):
    """Each kind of bad name gets its own message (a 300-character name was answered “姓名不能为空”)."""
    client.force_login(bureau_admin)
    page = client.post(
        reverse("certificates:manage_rerender", args=[certificate.pk]), {"holder_name": holder_name}, follow=True
    ).content.decode()
    assert expected in page
    certificate.refresh_from_db()
    assert certificate.holder_name == "李明"


def test_revoke_with_an_overlong_reason_says_it_is_too_long(client, certificate, bureau_admin):
    client.force_login(bureau_admin)
    page = client.post(
        reverse("certificates:manage_revoke", args=[certificate.pk]), {"reason": "x" * 1001}, follow=True
    ).content.decode()
    assert "不能超过 1000 个字符" in page and "请填写撤销原因" not in page
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


# A control character other than NUL: PostgreSQL text cannot hold NUL at all, so no stored name carries one.
@pytest.mark.parametrize("hostile", ["../../../../x", "甲/乙", "a\\..\\b", "..", "C:evil", "名\x07字"])
def test_team_zip_entry_names_stay_inside_the_folder(client, certificate, bureau_admin, hostile, media_root):
    """A holder name from before names were checked (or from any other path) never escapes the ZIP's folder."""
    Certificate.objects.filter(pk=certificate.pk).update(holder_name=hostile)
    client.force_login(bureau_admin)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("certificates:team_zip", args=["hanshou"])).content))
    pdfs = [name for name in archive.namelist() if name != "index.csv"]
    assert len(pdfs) == 1
    name = pdfs[0]
    assert name.startswith(f"{certificate.serial}-") and name.endswith(".pdf")
    assert not any(ch in name for ch in "/\\:\x00\x07") and ".." not in name
    assert archive.read(name) == (media_root / certificate.pdf.name).read_bytes()
