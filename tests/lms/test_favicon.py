"""The academy has an icon: /favicon.ico answers, and every page (site and admin) links to it."""

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_points_at_a_real_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".ico")
    path = finders.find("lms/favicon.ico")
    with Image.open(path) as icon:
        assert icon.format == "ICO"
        assert (32, 32) in icon.info["sizes"]


def test_site_pages_link_the_icon(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in body and "lms/favicon.svg" in body
    assert finders.find("lms/favicon.svg")


def test_admin_pages_link_the_icon(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("iconadmin", "icon@example.com", "x-Secret-2026"))
    body = client.get("/admin/").content.decode()
    assert "lms/favicon.svg" in body
