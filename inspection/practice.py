"""Practice: a trainee runs the same inspection on their own practice site (their Wagtail subtree, served by
the academy itself), so the rules are learned where they are applied. The report is kept in the cache for a
day; nothing is registered and no 整改 item is opened."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from quizzes.models import PracticeSectionPage
from quizzes.practical.practice import practice_area_of

from . import rules
from .crawler import Crawler, SiteUnavailable
from .fetching import Limits
from .services import expression_matcher, limits

PRACTICE_LIMITS = {"max_pages": 80, "max_links": 300, "max_seconds": 60.0}


def cache_key(user_id: int) -> str:
    return f"inspection:practice:{user_id}"


def _absolute(page) -> str:
    url = page.get_url() or ""
    return url if url.startswith("http") else settings.SITE_URL + url


def inspect_practice_site(*, user, today: date | None = None) -> dict:
    """Inspect `user`'s practice area: its sections are its columns. Raises SiteUnavailable when there is none."""
    area = practice_area_of(user)
    if area is None or not area.live:
        raise SiteUnavailable(_("You have no practice site yet: it is created with your first hands-on task."), "no_area")
    sections = [(_absolute(section), section.title) for section in area.get_children().live().type(PracticeSectionPage)]
    caps = Limits(**{**limits().__dict__, **PRACTICE_LIMITS})
    # The academy's own address (SITE_URL), never one a user typed: internal hosts are fine here.
    crawl = Crawler(
        _absolute(area),
        limits=caps,
        allow_internal=True,
        respect_robots=False,
        matcher=expression_matcher(),
        extra_start_pages=sections,
        discover_columns=False,
    ).run()
    report = rules.evaluate(crawl, today=today or date.today())
    report["url"] = crawl.start_url
    return report


def run_and_store(*, user_id: int) -> dict:
    from lms.models import User

    user = User.objects.get(pk=user_id)
    try:
        report = inspect_practice_site(user=user)
    except SiteUnavailable as unavailable:
        report = {"error": str(unavailable)}
    cache.set(cache_key(user_id), report, 24 * 3600)
    return report
