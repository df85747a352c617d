"""Passwords are hashed with Argon2id (OWASP parameters); PBKDF2 hashes upgrade at the next login."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

PRODUCTION_HASHERS = [
    "lms.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]


def test_settings_put_argon2id_first_and_keep_pbkdf2():
    from lms.settings import base

    assert base.PASSWORD_HASHERS[0] == "lms.hashers.OwaspArgon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS[1:]


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_new_hashes_are_argon2id_with_owasp_parameters():
    encoded = make_password("栏目维护2026!")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("栏目维护2026!", encoded)
    assert not check_password("wrong", encoded)


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_pbkdf2_hash_upgrades_to_argon2id_at_next_login(client):
    user = UserFactory(username="wangfang")
    # A hash as the previous release stored it.
    user.password = make_password("旧密码-old-2025", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    response = client.post(reverse("lms:login"), {"username": "wangfang", "password": "旧密码-old-2025"})
    assert response.status_code == 302

    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    client.logout()
    assert client.login(username="wangfang", password="旧密码-old-2025")


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_wrong_password_does_not_upgrade(client):
    user = UserFactory(username="lisi")
    user.password = make_password("right-one-2025", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    before = user.password
    client.post(reverse("lms:login"), {"username": "lisi", "password": "wrong-one"})
    user.refresh_from_db()
    assert user.password == before
