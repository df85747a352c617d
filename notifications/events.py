"""The event registry: every kind of news, its audience, templates (English msgids, zh-hans in the .po),
default channels and whether the team's or the bureau's group robot hears it.

Templates use `{name}` placeholders filled by `rendering.render`, which never raises for a missing value.
A source adds an event by adding an `EventType` here and calling `services.notify`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Channel


@dataclass(frozen=True)
class EventType:
    code: str
    label: str
    audience: str  # trainee, trainer, lead, bureau
    title: str
    body: str
    default_channels: frozenset = field(default_factory=lambda: frozenset({Channel.EMAIL}))
    robot: str | None = None  # "team": the team's robots; "bureau": the bureau's
    sms_params: tuple[str, ...] = ()  # context keys passed to the provider's template, in order
    urgent: bool = False


EVENTS: dict[str, EventType] = {}


def register(event: EventType) -> EventType:
    EVENTS[event.code] = event
    return event


def get_event(code: str) -> EventType | None:
    return EVENTS.get(code)


def event_choices() -> list[tuple[str, str]]:
    return [(code, str(event.label)) for code, event in EVENTS.items()]


EMAIL = frozenset({Channel.EMAIL})
EMAIL_SMS = frozenset({Channel.EMAIL, Channel.SMS})
INBOX_ONLY = frozenset()

# To a trainee.
register(
    EventType(
        "course.enrolled",
        _("Enrolled in a course"),
        "trainee",
        _("You are enrolled in “{course}”"),
        _("{name}, you are enrolled in the course “{course}”. Start with its first lesson when you are ready."),
        INBOX_ONLY,
    )
)
register(
    EventType(
        "exam.sitting_scheduled",
        _("Exam sitting scheduled"),
        "trainee",
        _("Exam sitting scheduled: {exam}"),
        _("{name}, you are invited to the exam sitting “{exam}”, opening {start}."),
        EMAIL_SMS,
        sms_params=("exam", "start"),
    )
)
register(
    EventType(
        "exam.opening_1d",
        _("Exam sitting opens in one day"),
        "trainee",
        _("“{exam}” opens tomorrow"),
        _("{name}, the exam sitting “{exam}” opens {start}. Check your account and network beforehand."),
        EMAIL_SMS,
        sms_params=("exam", "start"),
    )
)
register(
    EventType(
        "exam.opening_15m",
        _("Exam sitting opens in 15 minutes"),
        "trainee",
        _("“{exam}” opens in 15 minutes"),
        _("{name}, the exam sitting “{exam}” opens {start}. Sign in now."),
        EMAIL_SMS,
        sms_params=("exam", "start"),
        urgent=True,
    )
)
register(
    EventType(
        "exam.makeup_scheduled",
        _("Make-up sitting scheduled"),
        "trainee",
        _("Make-up sitting scheduled: {exam}"),
        _("{name}, a make-up sitting of “{exam}” is scheduled, opening {start}."),
        EMAIL_SMS,
        sms_params=("exam", "start"),
    )
)
register(
    EventType(
        "work.accepted",
        _("Reviewed work accepted"),
        "trainee",
        _("Your work on “{task}” was accepted"),
        _("{reviewer} accepted your work on “{task}”. Comment: {comment}"),
        EMAIL,
    )
)
register(
    EventType(
        "work.returned",
        _("Reviewed work returned"),
        "trainee",
        _("Your work on “{task}” was returned"),
        _("{reviewer} returned the work of {name} on “{task}” for another try. Comment: {comment}"),
        EMAIL,
        robot="team",
    )
)
register(
    EventType(
        "certificate.issued",
        _("Certificate issued"),
        "trainee",
        _("Certificate issued: {programme}"),
        _("Congratulations, {name}: certificate {serial} for “{programme}” was issued. Anyone can check it at {verify_url}"),
        EMAIL,  # not to the group robot: a bulk issue of hundreds would flood the group
    )
)
register(
    EventType(
        "certificate.expiring",
        _("Certificate expiring"),
        "trainee",
        _("Your certificate “{programme}” expires in {days} days"),
        _("{name}, certificate {serial} for “{programme}” expires on {date}. Take the refresher course to renew it."),
        EMAIL_SMS,
        sms_params=("programme", "date"),
    )
)
register(
    EventType(
        "certificate.revoked",
        _("Certificate revoked"),
        "trainee",
        _("Certificate revoked: {programme}"),
        _("{name}, certificate {serial} for “{programme}” was revoked. Reason: {reason}"),
        EMAIL,
    )
)
# To a trainer.
register(
    EventType(
        "review.digest",
        _("Work waiting for review (digest)"),
        "trainer",
        _("{count} pieces of work wait for your review"),
        _("{name}, work waits for your review: {summary}. The oldest has waited since {oldest}."),
        EMAIL,
    )
)
register(
    EventType(
        "trainee.stuck",
        _("Supervised trainee stuck for two weeks"),
        "trainer",
        _("{trainee} ({team}) has made no progress for two weeks"),
        _("{trainee} of {team} has not progressed since {since}. A word from you may help."),
        EMAIL,
    )
)
# To a team lead.
register(
    EventType(
        "inspection.rectification_opened",
        _("Site inspection found items to fix"),
        "trainee",
        _("{team}: {count} new items to fix on {site}"),
        _(
            "The inspection of {site} on {date} found {count} new items to fix (整改) for {team}, the first due {deadline}. Each item links to the lesson that teaches the fix."
        ),
        EMAIL,
        robot="team",
    )
)
register(
    EventType(
        "team.weekly_digest",
        _("Weekly team digest"),
        "lead",
        _("Weekly digest for {team}"),
        _(
            "{team}: {qualified} qualified; {expiring} certificates expire within 60 days; {stuck} people without progress for two weeks; rank {rank} of {teams}."
        ),
        EMAIL,
        robot="team",
    )
)
# To the bureau.
register(
    EventType(
        "bureau.monthly_summary",
        _("Monthly summary"),
        "bureau",
        _("Monthly summary for {month}"),
        _(
            "{month}: {issued} certificates issued, {qualified} of trainees qualified, {expiring} expiring within 60 days, {no_trainer} teams without a trainer."
        ),
        EMAIL,
        robot="bureau",
    )
)
register(
    EventType(
        "team.no_trainer",
        _("Team without a trainer"),
        "bureau",
        _("{team} has no supervising trainer"),
        _("No active trainer supervises {team}: its work waits for review with nobody to see it."),
        EMAIL,
        robot="bureau",
    )
)
register(
    EventType(
        "bulk_job.finished",
        _("Bulk job finished"),
        "bureau",
        _("{job} finished"),
        _("{job} finished: {changed} of {total} items issued or rendered."),
        INBOX_ONLY,
    )
)
register(
    EventType(
        "bulk_job.failed",
        _("Bulk job failed"),
        "bureau",
        _("{job} failed"),
        _("{job} stopped after {done} of {total} items: {error}"),
        EMAIL,
        robot="bureau",
    )
)
register(
    EventType(
        "robot.disabled",
        _("Group robot switched off"),
        "bureau",
        _("Group robot switched off: {robot}"),
        _(
            "The group robot {robot} was refused {failures} times in a row ({error}) and has been switched off. Correct its address or secret in the admin and switch it on again."
        ),
        EMAIL,
    )
)
