"""Factories for hands-on tasks; originals are real images stored as Wagtail images."""

from __future__ import annotations

import factory
from django.core.files.images import ImageFile
from factory.django import DjangoModelFactory
from wagtail.images import get_image_model

from quizzes.models import PracticalTask, RubricCriterion

from .images import jpeg, photo


def wagtail_image(picture=None, *, title="原图", quality=90, name="original.jpg"):
    import io

    data = jpeg(picture if picture is not None else photo(), quality=quality)
    return get_image_model().objects.create(title=title, file=ImageFile(io.BytesIO(data), name=name))


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = PracticalTask

    title = factory.Sequence(lambda n: f"图片处理练习{n}")
    kind = "image"
    instructions = "<p>把原图裁剪为 800×600 像素的 JPEG，去掉 EXIF 信息。</p>"
    spec = factory.LazyFunction(lambda: {"formats": ["JPEG"], "width": 800, "height": 600, "mode": "RGB", "strip_exif": "all"})
    max_submissions = 5


class RubricCriterionFactory(DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    title = factory.Sequence(lambda n: f"评分项{n}")
    levels_text = "优秀 | 10\n合格 | 6\n不合格 | 0"
