"""Writes for exam sittings: schedule, open (invitations from the roster), start an attempt, make-ups.

Every rule about who may schedule for which team is checked here as well as in the admin form, so a
crafted request cannot go round the form.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import CountyTeam, User
from lms.services import record_audit
from quizzes.models import Attempt, AttemptStatus
from quizzes.services import claim_attempt, close_if_overdue, insert_attempt, new_attempt

from . import permissions, selectors
from .models import ExamInvitation, ExamSitting, SittingAttempt
from .signals import makeup_scheduled, sitting_opened, sitting_scheduled


class SittingError(Exception):
    """A rule of the sitting stops the action; `message` says why, in the user's language."""

    code = "sitting_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(SittingError):
    code = "not_allowed"


class NotInvited(SittingError):
    code = "not_invited"


class NotOpenYet(SittingError):
    code = "not_open_yet"


class EntryClosed(SittingError):
    code = "entry_closed"


class SittingClosed(SittingError):
    code = "sitting_closed"


class NoAttemptsLeft(SittingError):
    code = "no_attempts_left"


def _when(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _summary(sitting: ExamSitting) -> dict:
    return {
        "quiz": sitting.quiz_id,
        "opens_at": sitting.opens_at.isoformat(),
        "closes_at": sitting.closes_at.isoformat(),
        "latest_entry_at": sitting.latest_entry_at.isoformat() if sitting.latest_entry_at else None,
        "max_attempts": sitting.max_attempts,
        "teams": sorted(t.code for t in sitting.teams.all()),
        "people": sorted(sitting.people.values_list("pk", flat=True)),
        "parent": sitting.parent_id,
    }


# ---------------------------------------------------------------------------------------------
# Scheduling


def scope_errors(*, actor: User, teams, people) -> dict[str, str]:
    """Why `actor` may not invite these teams or people (empty when they may): the one check of the
    admin form, the API and `schedule_sitting`."""
    errors = {}
    if not permissions.can_schedule(actor):
        return {"__all__": _("Only the bureau and trainers may schedule exam sittings.")}
    team_ids = {t.pk for t in teams}
    allowed = set(permissions.schedulable_teams(actor).filter(pk__in=team_ids).values_list("pk", flat=True))
    if team_ids - allowed:
        names = "、".join(sorted(str(t) for t in teams if t.pk not in allowed))
        errors["teams"] = _("You may only schedule sittings for the teams you supervise (not: %(teams)s).") % {"teams": names}
    person_ids = {p.pk for p in people}
    allowed_people = set(permissions.schedulable_people(actor).filter(pk__in=person_ids).values_list("pk", flat=True))
    if person_ids - allowed_people:
        errors["people"] = _("You may only invite trainees of the teams you supervise.")
    return errors


@transaction.atomic
def schedule_sitting(*, actor: User, sitting: ExamSitting, teams, people, now: datetime | None = None) -> ExamSitting:
    """Create or change `sitting` (its fields set by the caller) with these teams and people.

    Refused (SittingError / ValidationError) when the actor may not schedule for them, may not manage the
    stored sitting, or the sitting has opened and its quiz would change."""
    now = now or timezone.now()
    teams, people = list(teams), list(people)
    errors = scope_errors(actor=actor, teams=teams, people=people)
    if errors:
        raise ValidationError(errors)
    creating = sitting.pk is None
    before = None
    if not creating:
        stored = ExamSitting.objects.select_for_update().filter(pk=sitting.pk).first()
        if stored is None or not permissions.can_manage_sitting(actor, stored):
            raise NotAllowed(_("You may not change this exam sitting."))
        if stored.quiz_id != sitting.quiz_id and stored.has_opened(now):
            raise ValidationError({"quiz": _("The sitting has opened: its quiz can no longer be changed.")})
        before = _summary(stored)
    else:
        sitting.created_by = actor
    if not teams and not people and not sitting.parent_id:
        raise ValidationError({"teams": _("Invite at least one team or person.")})
    sitting.full_clean(exclude=["teams", "people"])
    sitting.save()
    sitting.teams.set(teams)
    sitting.people.set(people)
    sitting._stored_quiz_id = sitting.quiz_id
    if creating:
        action = "exam.makeup.create" if sitting.parent_id else "exam.sitting.create"
    else:
        action = "exam.sitting.change"
    record_audit(actor=actor, action=action, obj=sitting, before=before, after=_summary(sitting))
    if creating:
        signal = makeup_scheduled if sitting.parent_id else sitting_scheduled
        transaction.on_commit(lambda: signal.send(sender=ExamSitting, sitting=sitting))
    return sitting


def create_makeup(
    *,
    actor: User,
    sitting: ExamSitting,
    opens_at: datetime,
    closes_at: datetime,
    latest_entry_at: datetime | None = None,
    title: str = "",
    now: datetime | None = None,
) -> ExamSitting:
    """A make-up (补考) of `sitting`'s main sitting, inviting exactly the people invited to it who passed
    neither it nor an earlier make-up (absent or failed). Every sitting of the chain must have closed."""
    now = now or timezone.now()
    root = sitting.parent if sitting.parent_id else sitting
    if not permissions.can_manage_sitting(actor, root):
        raise NotAllowed(_("You may not schedule a make-up of this exam sitting."))
    chain = selectors.sitting_chain(root)
    if any(now < s.closes_at for s in chain):
        raise SittingError(_("A make-up can be scheduled once the sitting and its make-ups have closed."))
    open_sitting(sitting=root, now=now)
    user_ids = selectors.not_passed_in_chain(root)
    if not user_ids:
        raise SittingError(_("Everyone invited has passed: no make-up is needed."))
    makeup = ExamSitting(
        quiz_id=root.quiz_id,
        title=title or _("%(title)s (make-up %(n)d)") % {"title": root.title, "n": len(chain)},
        opens_at=opens_at,
        closes_at=closes_at,
        latest_entry_at=latest_entry_at,
        max_attempts=root.max_attempts,
        review_policy=root.review_policy,
        focus_loss_limit=root.focus_loss_limit,
        contact=root.contact,
        parent=root,
    )
    # It may open at once (the admin's minute-precise time is usually just past), but must still be ahead of its close.
    if closes_at <= now:
        raise ValidationError({"closes_at": _("A make-up must close in the future.")})
    # A trainer's make-up may name trainees who have since moved to a team they do not supervise: the
    # make-up follows the main sitting, which the trainer may manage, so those people are checked there.
    people = list(User.objects.filter(pk__in=user_ids))
    with transaction.atomic():
        return _save_makeup(actor=actor, makeup=makeup, people=people)


def _save_makeup(*, actor: User, makeup: ExamSitting, people: list[User]) -> ExamSitting:
    makeup.created_by = actor
    makeup.full_clean(exclude=["teams", "people"])
    makeup.save()
    makeup.people.set(people)
    record_audit(actor=actor, action="exam.makeup.create", obj=makeup, after=_summary(makeup))
    transaction.on_commit(lambda: makeup_scheduled.send(sender=ExamSitting, sitting=makeup))
    return makeup


# ---------------------------------------------------------------------------------------------
# Opening


def open_sitting(*, sitting: ExamSitting, now: datetime | None = None) -> bool:
    """Compute the invitations of an opened sitting from the roster, once; True when this call did it.

    Idempotent and safe to run from many requests at once: the sitting row is locked, the invitations
    are unique per person. Before `opens_at` nothing happens."""
    now = now or timezone.now()
    if sitting.invitations_at is not None or now < sitting.opens_at:
        return False
    with transaction.atomic():
        locked = ExamSitting.objects.select_for_update().get(pk=sitting.pk)
        if locked.invitations_at is not None:
            sitting.invitations_at = locked.invitations_at
            return False
        rows = selectors.roster_invitees(locked)
        ExamInvitation.objects.bulk_create(
            [ExamInvitation(sitting=locked, user_id=user_id, team_id=team_id) for user_id, team_id in rows.items()],
            ignore_conflicts=True,
        )
        locked.invitations_at = now
        locked.save(update_fields=["invitations_at"])
        sitting.invitations_at = now
        record_audit(actor=None, action="exam.sitting.open", obj=locked, after={"invited": len(rows)})
        transaction.on_commit(lambda: sitting_opened.send(sender=ExamSitting, sitting=locked))
    return True


def open_due_sittings(*, now: datetime | None = None) -> int:
    """Open every sitting whose time has come (from cron or the task worker); returns how many opened."""
    now = now or timezone.now()
    due = ExamSitting.objects.filter(invitations_at__isnull=True, opens_at__lte=now).order_by("opens_at", "pk")
    return sum(open_sitting(sitting=sitting, now=now) for sitting in due)


# ---------------------------------------------------------------------------------------------
# Starting


def start_sitting_attempt(*, sitting: ExamSitting, user: User, now: datetime | None = None, holder: str = "") -> Attempt:
    """Start (or resume) `user`'s attempt in `sitting`; the attempt is then taken on the quiz pages.

    On exam day everyone invited starts in the same minute, so a start is the quiz engine's: two reads
    (the invitation; the person's attempts at the quiz, each marked if it belongs to this invitation)
    and one transaction writing the attempt and its link. The unique constraints decide races: of two
    starts at once (two tabs) one attempt is written, the other start finds it and resumes it."""
    now = now or timezone.now()
    if now < sitting.opens_at:
        raise NotOpenYet(_("The sitting has not started yet: it opens at %(when)s.") % {"when": _when(sitting.opens_at)})
    open_sitting(sitting=sitting, now=now)
    invitation = ExamInvitation.objects.filter(sitting=sitting, user=user).first()
    if invitation is None or not user.is_active:
        raise NotInvited(_("You are not invited to this exam sitting."))
    quiz = sitting.quiz
    mine = SittingAttempt.objects.filter(invitation=invitation, attempt=OuterRef("pk"))
    for _round in range(4):
        attempts = list(Attempt.objects.filter(quiz=quiz, user=user).annotate(in_sitting=Exists(mine)).order_by("number"))
        current = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
        if current is not None:
            if not current.in_sitting:
                raise SittingError(_("Finish or submit your other unfinished attempt at this quiz first."))
            current.quiz = quiz
            if not close_if_overdue(attempt=current, now=now).is_finished:
                claim_attempt(attempt=current, holder=holder)
                return current
            continue  # its time ran out: submitted now, and perhaps another attempt is allowed
        if now >= sitting.closes_at:
            raise SittingClosed(_("The sitting closed at %(when)s.") % {"when": _when(sitting.closes_at)})
        if now > sitting.entry_deadline:
            raise EntryClosed(entry_closed_message(sitting))
        taken = sum(1 for a in attempts if a.in_sitting)
        if taken >= sitting.max_attempts:
            raise NoAttemptsLeft(_("You have used all %(n)d attempts allowed in this sitting.") % {"n": sitting.max_attempts})
        # A make-up draws, as far as the bank allows, questions the person was not asked before.
        seen = {item["q"] for a in attempts for item in a.layout}
        used = attempts[-1].number if attempts else 0
        attempt = new_attempt(quiz=quiz, user=user, number=used + 1, now=now, seen=seen, closes_at=sitting.closes_at, holder=holder)
        if attempt is None:
            raise SittingError(_("This exam has no questions yet: please tell the organiser."))
        try:
            with transaction.atomic():
                if insert_attempt(attempt):
                    SittingAttempt.objects.create(invitation=invitation, attempt=attempt, number=taken + 1)
                    return attempt
        except IntegrityError:
            pass  # the link's number was taken by a start that won meanwhile: read again
    # Four rounds lost in a row means something else keeps writing this person's attempts.
    raise SittingError(_("Your exam is being started in another window: please reload the page."))


def entry_closed_message(sitting: ExamSitting) -> str:
    message = _("The latest entry time (%(when)s) has passed.") % {"when": _when(sitting.entry_deadline)}
    if sitting.contact:
        message += _(" Please contact %(contact)s.") % {"contact": sitting.contact}
    return message


def teams_by_code(codes) -> list[CountyTeam]:
    return list(CountyTeam.objects.filter(code__in=list(codes)))
