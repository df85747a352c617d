"""When a trainee sees the right answers of an attempt made in a sitting (a review gate: quizzes/review.py).

Default (after_close): the score right away, the right answers and explanations once the sitting has
closed — and not while the person still has a make-up of it ahead, which the answers would give away.
"""

from __future__ import annotations

from .models import SittingAttempt, SittingReview
from .selectors import pending_makeup


def sitting_review_rule(attempt, *, now) -> bool | None:
    link = SittingAttempt.objects.filter(attempt_id=attempt.pk).select_related("invitation__sitting").first()
    if link is None:
        return None
    sitting = link.invitation.sitting
    if sitting.review_policy == SittingReview.IMMEDIATELY:
        return True
    if sitting.review_policy == SittingReview.NEVER:
        return False
    if now < sitting.closes_at:
        return False
    return not pending_makeup(user_id=attempt.user_id, sitting=sitting, now=now)
