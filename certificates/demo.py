"""Demo data for `manage.py seed_demo`: the Changde webmaster programme and a handful of certificates in
every state (valid, expiring soon, expired, revoked), with real PDFs, so the pages are not empty."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage
from lms.models import User

from . import services
from .models import Certificate, Programme

PROGRAMME_SLUG = "changde-webmaster"
COURSE_SLUGS = ["backoffice", "topic-pages", "images", "rules-security"]

# (username, days ago issued, revoke reason): 24-month validity, so 700 days ago is "expiring soon".
DEMO_CERTIFICATES = [
    ("wuling1", 20, ""),
    ("dingcheng1", 90, ""),
    ("hanshou1", 700, ""),
    ("lixian1", 760, ""),
    ("jinshi1", 120, "复核发现结业考核成绩登记有误"),
]


def ensure_programme() -> Programme:
    programme, _ = Programme.objects.get_or_create(
        slug=PROGRAMME_SLUG,
        defaults={
            "name": "常德市商务网站管理员资格",
            "description": "常德市商务系统区县网站管理员岗位资格：掌握网站后台使用、专题制作、图片处理，熟悉商务部网站管理制度与信息安全要求。",
            "validity_months": 24,
            "serial_prefix": "CD",
            "issuer_name": "常德市商务局",
        },
    )
    courses = list(CoursePage.objects.filter(slug__in=COURSE_SLUGS))
    if courses and not programme.required_courses.exists():
        programme.required_courses.set(courses)
        programme.save()
    return programme


@transaction.atomic
def seed(stdout=None) -> None:
    programme = ensure_programme()
    bureau = User.objects.filter(username="bureau").first()
    now = timezone.now()
    made = 0
    for username, days_ago, revoke_reason in DEMO_CERTIFICATES:
        holder = User.objects.filter(username=username).first()
        if holder is None or Certificate.objects.filter(holder=holder, programme=programme).exists():
            continue
        certificate = services.issue_certificate(
            holder=holder, programme=programme, actor=bureau, now=now - timedelta(days=days_ago), manual=True
        )
        services.render_certificate(certificate=certificate)
        if revoke_reason and bureau is not None:
            services.revoke_certificate(certificate=certificate, actor=bureau, reason=revoke_reason, now=now - timedelta(days=3))
        made += 1
    if stdout is not None:
        stdout.write(f"certificates: programme “{programme.name}”, {made} new demo certificate(s)")
