"""factory_boy factories for the core models. Pages are created under a given parent."""

import factory
from factory.django import DjangoModelFactory

from courses.models import CoursePage, LessonPage
from lms.models import CountyTeam, User


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = CountyTeam
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试县{n}")
    code = factory.Sequence(lambda n: f"team{n}")
    region = "常德市"


class UserFactory(DjangoModelFactory):
    """A user; pass role= (and team= for trainees and team leads) to give them a membership."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"学员{n}")

    @classmethod
    def _create(cls, model_class, *args, role=None, team=None, password="pass12345", **kwargs):
        from lms.services import assign_role

        user = model_class(*args, **kwargs)
        user.set_password(password)
        user.save()
        if role:
            assign_role(user=user, role=role, team=team)
        return user


class _PageFactory(factory.Factory):
    """Builds a page instance and adds it under `parent` (Wagtail pages live in a tree)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, parent=None, publish=True, **kwargs):
        page = model_class(**kwargs)
        page.live = publish
        parent.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        else:
            page.save_revision()
        return page


class CourseFactory(_PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"课程{n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "学习网站后台的基本操作。"


class LessonFactory(_PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"课时{n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    intro = "学完本课，你能独立发布一条新闻。"
    body = factory.LazyFunction(lambda: [("text", "<h2>登录后台</h2><p>使用分配给你的账号登录网站后台。</p>")])
