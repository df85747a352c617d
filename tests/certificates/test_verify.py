"""Public verification: page and API, masking, unknown codes, revoked, PDF upload check, rate limit."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certificates import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_verify_page_shows_the_public_facts_with_the_name_masked(client, certificate, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(certificate.verification_path)
    page = response.content.decode()
    assert response.status_code == 200
    assert "李*" in page and "李明" not in page
    for fact in (certificate.serial, "汉寿县", "常德市商务网站管理员资格", "常德市商务局"):
        assert fact in page
    assert 'class="status status--valid"' in page


def test_code_lookup_ignores_case_spaces_and_dashes(client, certificate):
    code = certificate.verification_code
    messy = f" {code[:5].lower()}-{code[5:10]} {code[10:]} "
    response = client.get(reverse("certificates:verify_index"), {"code": messy})
    assert response.status_code == 302 and response["Location"] == certificate.verification_path


def test_unknown_codes_get_the_same_plain_not_found(client, certificate):
    near = certificate.verification_code[:-1] + ("A" if certificate.verification_code[-1] != "A" else "B")
    pages = []
    for code in (near, "ZZZZZZZZZZZZZZZZZZZZ"):
        response = client.get(reverse("certificates:verify", args=[code]))
        assert response.status_code == 404
        page = response.content.decode()
        assert "李" not in page and certificate.serial not in page
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.replace(code, "")))
    assert pages[0] == pages[1]


def test_api_verify_masks_and_hides_unknown(client, certificate):
    response = client.get(f"/api/v1/certificates/verify/{certificate.verification_code}/")
    assert response.status_code == 200
    data = response.json()
    assert data["holder"] == "李*" and data["serial"] == certificate.serial and data["status"] == "valid"
    assert data["team"] == "汉寿县" and data["sha256"] == certificate.sha256
    assert "revocation_reason" not in data and "holder_name" not in data
    missing = client.get("/api/v1/certificates/verify/NOPE/")
    assert missing.status_code == 404 and set(missing.json()) == {"detail"}


def test_revoked_certificate_says_revoked_and_when_but_not_why(client, certificate, bureau_admin):
    revoked = services.revoke_certificate(certificate=certificate, actor=bureau_admin, reason="私下代考")
    page = client.get(certificate.verification_path).content.decode()
    assert "status--revoked" in page and "私下代考" not in page
    assert timezone.localtime(revoked.revoked_at).strftime("%Y-%m-%d") in page
    api = client.get(f"/api/v1/certificates/verify/{certificate.verification_code}/").json()
    assert api["status"] == "revoked" and api["revoked_on"]


def _upload(content: bytes, name="c.pdf"):
    return {"pdf": SimpleUploadedFile(name, content, content_type="application/pdf")}


def test_uploading_the_genuine_pdf_confirms_it(client, certificate, media_root):
    content = (media_root / certificate.pdf.name).read_bytes()
    page = client.post(certificate.verification_path, _upload(content)).content.decode()
    assert "result--ok" in page
    anywhere = client.post(reverse("certificates:verify_index"), _upload(content)).content.decode()
    assert "result--ok" in anywhere and certificate.verification_path in anywhere


def test_an_altered_pdf_does_not_match(client, certificate, media_root):
    content = bytearray((media_root / certificate.pdf.name).read_bytes())
    content[-20] ^= 1
    page = client.post(certificate.verification_path, _upload(bytes(content))).content.decode()
    assert "result--bad" in page and "result--ok" not in page


def test_an_earlier_version_is_recognised_as_such(client, certificate, media_root, bureau_admin):
    old = (media_root / certificate.pdf.name).read_bytes()
    services.correct_holder_name(certificate=certificate, holder_name="李明明", actor=bureau_admin)
    services.render_certificate(certificate=certificate)
    page = client.post(certificate.verification_path, _upload(old)).content.decode()
    assert "result--warn" in page


def test_another_certificates_pdf_does_not_confirm_this_one(
    client, certificate, other_trainee, programme, bureau_admin, media_root
):
    other = services.render_certificate(
        certificate=services.issue_certificate(holder=other_trainee, programme=programme, actor=bureau_admin, manual=True)
    )
    page = client.post(certificate.verification_path, _upload((media_root / other.pdf.name).read_bytes())).content.decode()
    assert "result--bad" in page


@pytest.mark.parametrize(("content", "message"), [(b"GIF89a not a pdf", "不是 PDF"), (b"", "")])
def test_bad_uploads_get_a_clear_message(client, certificate, content, message):
    response = client.post(certificate.verification_path, _upload(content))
    assert response.status_code == 200
    page = response.content.decode()
    assert "result--bad" in page
    if message:
        assert message in page


def test_verification_is_rate_limited(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE = 5
    codes = [client.get(reverse("certificates:verify", args=["NOPE"])).status_code for _ in range(5)]
    assert codes == [404] * 5
    limited = client.get(certificate.verification_path)
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert client.get(f"/api/v1/certificates/verify/{certificate.verification_code}/").status_code == 429
    other_client = client_from("10.0.0.2")
    assert other_client.get(certificate.verification_path).status_code == 200


def client_from(address):
    from django.test import Client

    return Client(REMOTE_ADDR=address)


@pytest.mark.parametrize(
    ("name", "masked"), [("张伟", "张*"), ("张小伟", "张*伟"), ("欧阳晓雯", "欧**雯"), ("John Smith", "J*** S****"), ("", "")]
)
def test_mask_name(name, masked):
    assert selectors.mask_name(name) == masked
