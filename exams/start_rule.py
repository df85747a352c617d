"""Someone invited to a sitting of a quiz takes that quiz in its sittings only (registered with quizzes.start_rules).

Without this, a trainee who failed the sitting could retake the quiz on its lesson page and have that pass count
towards the certificate, which would make the make-up (补考) pointless. People never invited to a sitting of the
quiz keep taking it freely, as before.

The rule runs on every new quiz attempt, so quizzes that never had a sitting cost no query: their ids are kept in
the cache and forgotten whenever a sitting is saved or deleted.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

CACHE_KEY = "exams:quizzes-with-sittings"
CACHE_SECONDS = 600


def quizzes_with_sittings() -> frozenset[int]:
    from .models import ExamSitting

    ids = cache.get(CACHE_KEY)
    if ids is None:
        ids = frozenset(ExamSitting.objects.values_list("quiz_id", flat=True).distinct())
        cache.set(CACHE_KEY, ids, CACHE_SECONDS)
    return ids


def forget(**kwargs) -> None:
    cache.delete(CACHE_KEY)
    # Again after commit: a request that read the table before the commit may have cached the old set.
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def refuse_free_start(*, quiz, user) -> str | None:
    from .models import ExamInvitation

    if quiz.pk not in quizzes_with_sittings():
        return None
    if ExamInvitation.objects.filter(sitting__quiz_id=quiz.pk, user_id=user.pk).exists():
        return _("You take this quiz in its exam sittings: see 我的考试 for when and where.")
    return None
