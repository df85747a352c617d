"""The academy's page tree and the admin groups trainers and bureau admins work in.

`ensure_academy_site()` is idempotent: the demo loader and the tests call it, and a real
deployment runs it once through `manage.py setup_academy`.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lms.models import HomePage, Role
from lms.services import ROLE_GROUPS

from .models import CourseIndexPage

TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
BUREAU_PAGE_PERMISSIONS = TRAINER_PAGE_PERMISSIONS + ["delete_page", "bulk_delete_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
BUREAU_MODEL_PERMISSIONS = [
    ("lms", "countyteam", ["add", "change", "view"]),
    ("lms", "membership", ["add", "change", "delete", "view"]),
    ("lms", "trainersupervision", ["add", "change", "delete", "view"]),
    ("lms", "auditevent", ["view"]),
    ("lms", "user", ["add", "change", "view"]),
    ("courses", "enrollment", ["add", "change", "view"]),
    ("quizzes", "questioncategory", ["add", "change", "delete", "view"]),
    ("quizzes", "question", ["add", "change", "delete", "view"]),
    ("quizzes", "quiz", ["add", "change", "delete", "view"]),
]
TRAINER_MODEL_PERMISSIONS = [
    ("courses", "enrollment", ["view"]),
    ("quizzes", "questioncategory", ["add", "change", "delete", "view"]),
    ("quizzes", "question", ["add", "change", "delete", "view"]),
    ("quizzes", "quiz", ["add", "change", "delete", "view"]),
]


@transaction.atomic
def ensure_academy_site() -> tuple[HomePage, CourseIndexPage]:
    """Make the home page the site root and put the course catalogue at /courses/."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="站长学堂", slug="academy", intro="<p>常德市商务系统网站管理员培训与认证平台：学后台、做专题、处理图片，考核通过即可获得可在线验证的资格证书。</p>"))
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="站长学堂")
        else:
            site.root_page, site.site_name = home, "站长学堂"
            site.save()
        # Wagtail's "Welcome" placeholder page is of no use to anyone once we have a home page.
        if old_root is not None and old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = home.add_child(instance=CourseIndexPage(title="课程目录", slug="courses", intro="<p>按照常德市商务局网站管理员培训大纲设置：后台使用、专题制作、图片处理，以及网站管理制度与信息安全。</p>"))
        catalogue.save_revision().publish()
    ensure_role_groups(home=home, catalogue=catalogue)
    return home, catalogue


def _grant_models(group: Group, spec) -> None:
    for app_label, model, actions in spec:
        codenames = [f"{action}_{model}" for action in actions]
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


def ensure_role_groups(*, home: Page, catalogue: Page) -> None:
    """Trainers author under the catalogue; bureau admins manage the whole site and the people."""
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    trainers, _ = Group.objects.get_or_create(name=ROLE_GROUPS[Role.TRAINER])
    bureau, _ = Group.objects.get_or_create(name=ROLE_GROUPS[Role.BUREAU_ADMIN])
    for group, page, page_perms, models in (
        (trainers, catalogue, TRAINER_PAGE_PERMISSIONS, TRAINER_MODEL_PERMISSIONS),
        (bureau, home, BUREAU_PAGE_PERMISSIONS, BUREAU_MODEL_PERMISSIONS),
    ):
        group.permissions.add(admin_access)
        for codename in page_perms:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
        root_collection = Collection.get_first_root_node()
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
                GroupCollectionPermission.objects.get_or_create(group=group, collection=root_collection, permission=permission)
        _grant_models(group, models)

    # Course changes go through a review by the bureau (课程审核) before they are published.
    # The step is written through WorkflowTask itself: `workflow.workflow_tasks.create()` (a modelcluster relation)
    # only keeps it in memory, which left the workflow empty and every submission approved at once. Checking for
    # the step (not for a new workflow) also repairs sites set up with that empty workflow.
    workflow, _created = Workflow.objects.get_or_create(name="课程审核")
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task, _created = GroupApprovalTask.objects.get_or_create(name="市局审核")
        task.groups.set([bureau])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.get_or_create(page=catalogue, defaults={"workflow": workflow})
