"""Create the newsroom's roles (기자, 데스크, 관리자) and the desk workflow for articles.

Permissions Wagtail adds after migrating (publish/lock/unlock_article, the settings'
change permissions) may not exist yet on a fresh database, so they are created here with
get_or_create; Django's and Wagtail's post_migrate steps then find them in place.
"""

from django.db import migrations

from sinmun.newsroom.roles import DESK, ROLE_IMAGE_PERMISSIONS, ROLE_PERMISSIONS

WORKFLOW_NAME = "데스크 승인 절차"
TASK_NAME = "데스크 승인"

PERMISSION_NAMES = {
    "access_admin": "Can access Wagtail admin",
    "publish": "Can publish",
    "lock": "Can lock",
    "unlock": "Can unlock",
    "choose": "Can choose",
}

MODEL_NAMES = {
    ("wagtailadmin", "access_admin"): "admin",
}


def _permission(apps, app_label, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    model = MODEL_NAMES.get((app_label, codename)) or codename.split("_", 1)[1]
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    verb = codename.split("_", 1)[0]
    name = PERMISSION_NAMES.get(codename) or PERMISSION_NAMES.get(verb) or f"Can {verb} {model}"
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def create_roles_and_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    groups = {}
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        groups[role] = group
        group.permissions.add(*[_permission(apps, app, code) for app, code in permissions])
        if root is not None:
            for codename in ROLE_IMAGE_PERMISSIONS.get(role, []):
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root,
                    permission=_permission(apps, "wagtailimages", codename),
                )

    article_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type)
    task.groups.add(groups[DESK])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if not WorkflowContentType.objects.filter(content_type=article_type).exists():
        WorkflowContentType.objects.create(workflow=workflow, content_type=article_type)


def remove_roles_and_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Workflow.objects.filter(name=WORKFLOW_NAME, workflow_states__isnull=True).delete()
    Group.objects.filter(name__in=list(ROLE_PERMISSIONS), user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("articles", "0001_initial"),
        ("sitesettings", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0006_formstate"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles_and_workflow, remove_roles_and_workflow)]
