"""Factories for programmes and certificates (issued through the real service)."""

import factory
from factory.django import DjangoModelFactory

from certificates.models import Programme


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试资格{n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    validity_months = 24
    serial_prefix = "CD"
    issuer_name = "常德市商务局"

    @factory.post_generation
    def courses(self, create, extracted, **kwargs):
        if create and extracted:
            self.required_courses.set(extracted)
            self.save()
