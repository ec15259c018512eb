"""Who may do what to an article, for every Wagtail admin view (wagtail.permission_policies).

Model permissions say what a role may do at all; this policy adds the per-article rules:

* whoever holds ``articles.publish_article`` (the desk) may change any article;
* anyone else with ``articles.change_article`` (a reporter) may change only an article
  they own (they created it, or the byline is theirs) while it is still their draft: never
  published, not live, not approved for a scheduled time. While it waits for the desk,
  Wagtail's workflow lock keeps it read-only for them (GroupApprovalTask.locked_for_user);
* an article that has ever been public keeps its number for life: only a superuser may
  delete it; a never-published draft may be deleted by the desk or by its owner.

The admin views consult it through ``sinmun.newsroom.admin_views.ArticlePermissionMixin``,
which passes the article to the policy (Wagtail's own snippet views check the model only).
"""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

INSTANCE_ACTIONS = {"change", "delete", "view", "add"}


class ArticlePermissionPolicy(ModelPermissionPolicy):
    def _is_desk(self, user) -> bool:
        return user.has_perm(self._get_permission_name("publish"))

    @staticmethod
    def user_owns(user, article) -> bool:
        if article.owner_id is not None and article.owner_id == user.pk:
            return True
        if article.reporter_id is None:
            return False
        return getattr(article.reporter, "user_id", None) == user.pk

    @staticmethod
    def is_draft(article) -> bool:
        """Whether the article is still its writer's draft: never public, nothing approved."""
        if article.pk is None:
            return True
        if article.live or article.first_published_at is not None:
            return False
        return not article.revisions.filter(approved_go_live_at__isnull=False).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        if action not in INSTANCE_ACTIONS:
            # publish, unpublish, lock, unlock: a role decision, not an ownership one.
            return self.user_has_permission(user, action)
        if action == "delete":
            if instance.live or instance.first_published_at is not None:
                return False
            if not self.user_has_permission(user, "delete"):
                return False
            return self._is_desk(user) or (
                self.user_owns(user, instance) and self.is_draft(instance)
            )
        if action in ("view", "add"):
            # Seeing an article's history or copying it: the desk, or the owner of a draft.
            if not self.user_has_any_permission(user, ["add", "change"]):
                return False
            return self._is_desk(user) or (
                self.user_owns(user, instance) and self.is_draft(instance)
            )
        # change
        if not self.user_has_permission(user, "change"):
            return False
        if self._is_desk(user):
            return True
        return self.user_owns(user, instance) and self.is_draft(instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)


class ImagePermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's image policy, except that deleting needs ``delete_image``.

    Wagtail counts "delete" as "change" for images, so the desk (``change_image``) could
    delete any photo, and with it the photos of published articles; the roles give
    ``delete_image`` to 관리자 only (roles.ROLE_IMAGE_PERMISSIONS). Whoever uploaded an
    image may still delete it, as Wagtail allows. Registered in apps.py.
    """

    def user_has_any_permission_for_instance(self, user, actions, instance):
        others = [a for a in actions if a != "delete"]
        if others and super().user_has_any_permission_for_instance(user, others, instance):
            return True
        if "delete" not in actions:
            return False
        if self._check_perm(user, ["delete"], collection=instance.collection):
            return True
        owner_id = getattr(instance, f"{self.owner_field_name}_id", None)
        return (
            owner_id is not None
            and owner_id == user.pk
            and self._check_perm(user, ["add"], collection=instance.collection)
        )
