"""The qualification pages' own Chinese catalogue (found through LOCALE_PATHS) is complete, and it does not
change how the apps' own messages read: it takes precedence over every app catalogue."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_translations import CATALOGUES, _entries

OURS = Path(settings.BASE_DIR) / "certificates" / "qualification" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalogue_is_on_the_locale_path_and_complete():
    assert OURS.parent.parent.parent in [Path(p) for p in settings.LOCALE_PATHS]
    problems = [msgid for msgid, msgstr, fuzzy in _entries(OURS) if fuzzy or not msgstr]
    assert problems == []


def _by_context(path: Path) -> dict:
    """{(context, msgid): msgstr} for one-line entries (the words that can clash are short)."""
    found = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        context = re.search(r'^msgctxt "(.*)"', block, re.M)
        msgid = re.search(r'^msgid "(.*)"', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? "(.*)"', block, re.M)
        if msgid and msgid.group(1) and msgstr:
            found[(context.group(1) if context else "", msgid.group(1))] = msgstr.group(1)
    return found


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-5])
def test_no_message_of_an_app_is_translated_differently_here(catalogue):
    ours, theirs = _by_context(OURS), _by_context(catalogue)
    clashes = {key: (ours[key], theirs[key]) for key in ours.keys() & theirs.keys() if theirs[key] and ours[key] != theirs[key]}
    assert clashes == {}
