"""Factories for programmes and certificates, as the dashboards need them (no PDF: figures only)."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from certificates.models import Certificate, Programme


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"网站管理员资格{n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    validity_months = 24

    @factory.post_generation
    def courses(self, create, extracted, **kwargs):
        if extracted:
            self.required_courses.set(extracted)
            self.save()


class CertificateFactory(DjangoModelFactory):
    """A certificate row; `expires_in` (days, may be negative) sets the expiry relative to now."""

    class Meta:
        model = Certificate

    holder_name = factory.LazyAttribute(lambda o: str(o.holder))
    # A prefix of its own: certificates the services issue in the same test take CD-2026-… from the counter.
    serial = factory.Sequence(lambda n: f"QF-2026-{n:06d}")
    verification_code = factory.Sequence(lambda n: f"code{n:08d}")
    issued_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))

    class Params:
        expires_in = 365

    expires_at = factory.LazyAttribute(lambda o: timezone.now() + datetime.timedelta(days=o.expires_in) if o.expires_in is not None else None)
