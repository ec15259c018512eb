"""Roles hygiene: 관리자 no longer edits groups; Wagtail's unused default groups go.

* 관리자 manages people, not what roles may do: ``auth.add/change/delete_group`` are
  taken from it (with them it could give itself or anyone any permission). Editing
  group permissions is a superuser's job.
* Wagtail's own migrations create the groups "Moderators" and "Editors" (page, image and
  document permissions) and a workflow "Moderators approval" for pages. sinmun has no
  pages and its roles are 기자/데스크/관리자, so they only confuse whoever assigns roles.
  They are removed when unused: the workflow and its task only if nothing ever went
  through them, each group only if nobody is in it (an install that did use them keeps
  them).
"""

from django.db import migrations

ADMIN = "관리자"
GROUP_CODENAMES = ["add_group", "change_group", "delete_group"]
WAGTAIL_GROUPS = ["Moderators", "Editors"]
WAGTAIL_WORKFLOW = "Moderators approval"


def tidy_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")

    admin = Group.objects.filter(name=ADMIN).first()
    if admin is not None:
        admin.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="auth", codename__in=GROUP_CODENAMES
            )
        )

    for workflow in Workflow.objects.filter(name=WAGTAIL_WORKFLOW):
        if WorkflowState.objects.filter(workflow=workflow).exists():
            continue
        task_ids = list(
            WorkflowTask.objects.filter(workflow=workflow).values_list("task_id", flat=True)
        )
        workflow.delete()  # its WorkflowTask and WorkflowPage/ContentType rows go with it
        for task in GroupApprovalTask.objects.filter(pk__in=task_ids):
            in_use = (
                TaskState.objects.filter(task_id=task.pk).exists()
                or WorkflowTask.objects.filter(task_id=task.pk).exists()
            )
            if not in_use:
                task.delete()

    for name in WAGTAIL_GROUPS:
        group = Group.objects.filter(name=name).first()
        if group is None or group.user_set.exists():
            continue
        if GroupApprovalTask.objects.filter(groups=group).exists():
            continue  # a workflow still asks this group to approve
        group.delete()  # its page/collection permissions go with it


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_roles_and_workflow"),
        # Wagtail's migrations that create or grant to the default groups, and its
        # default workflow, must have run first.
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(tidy_roles, migrations.RunPython.noop)]
