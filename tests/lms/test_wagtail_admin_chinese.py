"""Trainees do their graded work in the Wagtail admin, so its Chinese must be complete: every message of the
installed Wagtail apps (templates, Python and the admin's JavaScript catalogue) has a Chinese translation, from
Wagtail's own zh_Hans catalogue or from ours (lms/wagtail_zh), and ours changes no message of our apps."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.test_translations import CATALOGUES, _entries

OURS = Path(settings.BASE_DIR) / "lms" / "wagtail_zh" / "locale"
WAGTAIL = Path(apps.get_app_config("wagtailcore").path)


def _installed_wagtail_catalogues(language: str, domain: str) -> list[Path]:
    installed = {Path(config.path) for config in apps.get_app_configs()}
    return [
        path for path in sorted(WAGTAIL.glob(f"**/locale/{language}/LC_MESSAGES/{domain}.po")) if path.parents[3] in installed
    ]


def _translated(paths) -> set[str]:
    return {msgid for path in paths for msgid, msgstr, fuzzy in _entries(path) if msgstr and not fuzzy}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_wagtail_admin_message_has_a_chinese_translation(domain):
    english = {msgid for path in _installed_wagtail_catalogues("en", domain) for msgid, _, _ in _entries(path)}
    chinese = _translated(_installed_wagtail_catalogues("zh_Hans", domain)) | _translated(
        [OURS / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"]
    )
    # A message our apps or Django already translate reads in Chinese too.
    with translation.override("zh-hans"):
        missing = sorted(msgid for msgid in english - chinese if translation.gettext(msgid) == msgid)
    assert missing == []


def test_the_catalogue_is_on_the_locale_path_after_the_qualification_one():
    paths = [Path(p) for p in settings.LOCALE_PATHS]
    assert OURS in paths
    assert paths.index(OURS) > paths.index(Path(settings.BASE_DIR) / "certificates" / "qualification" / "locale")


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("The page could not be created due to validation errors.", "存在验证错误，页面未能创建。"),
        ("Go to the first error", "转到第一个错误"),
        ("Autosave is paused", "自动保存已暂停"),
        ("Saved", "已保存"),
        ("Please provide an image description to comply with best practices for accessibility.", "请填写“简介”"),
    ],
)
def test_admin_messages_read_in_chinese(english, chinese):
    with translation.override("zh-hans"):
        assert chinese in translation.gettext(english)
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_slug_clash_and_dashboard_summary_read_in_chinese():
    with translation.override("zh-hans"):
        slug = translation.gettext("The slug '%(page_slug)s' is already in use within the parent page.")
        pages = translation.ngettext(
            '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
            '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
            4,
        )
    assert slug % {"page_slug": "news"} == "缩略名“news”已被同一父页面下的其他页面使用。"
    assert (pages % {"total": 4, "site_name": "站长学堂"}).startswith("4 个页面")


@pytest.mark.django_db
def test_the_admin_javascript_catalogue_serves_our_chinese(client, django_user_model):
    user = django_user_model.objects.create_superuser("jsadmin", "jsadmin@example.com", "x-Secret-2026")
    client.force_login(user)
    body = client.get(reverse("wagtailadmin_javascript_catalog"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "\\u5199\\u70b9\\u4ec0\\u4e48" in body or "写点什么" in body  # 写点什么，或输入“/”插入块


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-5])
def test_our_wagtail_catalogue_changes_no_message_of_an_app(catalogue):
    """It sits on LOCALE_PATHS, so it would win over every app catalogue: it may only add messages."""
    ours = {msgid: msgstr for msgid, msgstr, _ in _entries(OURS / "zh_Hans" / "LC_MESSAGES" / "django.po")}
    if catalogue.is_relative_to(OURS):
        return
    clashes = {
        msgid: (ours[msgid], msgstr) for msgid, msgstr, _ in _entries(catalogue) if msgid in ours and msgstr != ours[msgid]
    }
    assert clashes == {}


OVERRIDES = {
    "wagtailadmin/home.html": [('value="Search"', "value=\"{% trans 'Search' %}\"")],
    "wagtailadmin/shared/header.html": [('value="Search"', "value=\"{% trans 'Search' %}\"")],
    "wagtailadmin/shared/headers/_actions.html": [('aria-label="Actions"', "aria-label=\"{% trans 'Actions' %}\"")],
    # The paginator builds "4 页面" with an f-string; "共 4 个页面" needs a translatable message.
    "wagtailadmin/shared/pagination_nav.html": [
        (
            "{{ items.paginator.items_count_label|capfirst }}",
            '{% if items.paginator.count == 1 %}{% blocktrans trimmed context "listing count" with '
            "count=items.paginator.count|intcomma model_name=items.paginator.verbose_name %}{{ count }} "
            '{{ model_name }}{% endblocktrans %}{% else %}{% blocktrans trimmed context "listing count" with '
            "count=items.paginator.count|intcomma model_name=items.paginator.verbose_name_plural %}{{ count }} "
            "{{ model_name }}{% endblocktrans %}{% endif %}",
        )
    ],
}


@pytest.mark.parametrize("name", sorted(OVERRIDES))
def test_overridden_admin_templates_are_wagtails_own_with_the_english_made_translatable(name):
    """Wagtail hard-codes a few English labels (screen readers read them); our copies translate them. When an
    upgrade changes Wagtail's template, this fails so the copy is refreshed rather than silently stale."""
    theirs = (Path(apps.get_app_config("wagtailadmin").path) / "templates" / name).read_text(encoding="utf-8")
    ours = (Path(settings.BASE_DIR) / "lms" / "templates" / name).read_text(encoding="utf-8")
    for english, translatable in OVERRIDES[name]:
        theirs = theirs.replace(english, translatable)
    ours = "\n".join(
        line
        for line in ours.splitlines()
        if "Wagtail 8.0's template" not in line and "an upgrade is noticed" not in line and line != "{% load i18n %}"
    )
    theirs = "\n".join(line for line in theirs.splitlines() if line != "{% load i18n %}")
    assert ours.strip() == theirs.strip()
