"""Wagtail's article admin views, made to ask the article permission policy per article.

Wagtail's snippet views check model permissions only ("may this user change articles?").
``ArticlePermissionMixin`` makes every view that has an article in hand ask
``ArticlePermissionPolicy`` about that article, so a reporter cannot open, save, preview,
compare, revert or delete someone else's article, nor their own once it is published.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.views import snippets

from sinmun.newsroom.listing import DeskPaginator, title_search


class ArticlePermissionMixin:
    def _article(self):
        obj = getattr(self, "object", None)
        return obj if obj is not None and getattr(obj, "pk", None) else None

    def user_has_permission(self, permission):
        article = self._article()
        if article is None:
            return super().user_has_permission(permission)
        if permission == "unlock" and article.locked_by_id == self.request.user.pk:
            return True
        if permission in ("lock", "unlock") and not self.request.user.is_superuser:
            # Workflow rules may widen locking to reviewers; never to someone who may
            # not change the article at all.
            if not self.permission_policy.user_has_permission_for_instance(
                self.request.user, "change", article
            ):
                return False
            return super().user_has_permission(permission)
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, permission, article
        )

    def user_has_any_permission(self, permissions):
        article = self._article()
        if article is None:
            return super().user_has_any_permission(permissions)
        return self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, permissions, article
        )


class ArticleCreateView(snippets.CreateView):
    def save_instance(self):
        self.form.instance.owner = self.request.user
        return super().save_instance()


class ArticleEditView(ArticlePermissionMixin, snippets.EditView):
    def user_has_permission(self, permission):
        if permission == "change" and self.current_workflow_task:
            # Reviewers may open an article on their task; the owner may open it to follow
            # it or withdraw it (it stays locked for them while it waits for the desk).
            user = self.request.user
            if self.current_workflow_task.user_can_access_editor(self.object, user):
                return True
            policy = self.permission_policy
            if (
                user.is_active
                and policy.user_has_permission(user, "change")
                and policy.user_owns(user, self.object)
                and not self.object.live
                and self.object.first_published_at is None
            ):
                return True
        return super().user_has_permission(permission)

    def is_valid(self, form):
        # Wagtail refuses a stale autosave; a full form post from an editor who loaded an
        # older revision would silently overwrite a colleague's save. Refuse it too: the
        # form comes back with what they typed and a message, so nothing is lost.
        if (
            not self.expects_json_response
            and self.action != "cancel-workflow"
            and self.request.POST.get("loaded_revision_id")
            and self.is_out_of_date
        ):
            self.produced_error_code = "invalid_revision"
            self.produced_error_message = _(
                "다른 사람이 먼저 이 기사를 저장했습니다. 저장하지 않았습니다: 새 판을 확인한 뒤 다시 고쳐 주세요."
            )
            return False
        return super().is_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self, "produced_error_code", None) == "invalid_revision" and (
            not self.expects_json_response
        ):
            messages.warning(
                self.request, _("입력한 내용은 아래 편집 화면에 그대로 남아 있습니다.")
            )
        return response


class ArticleDeleteView(ArticlePermissionMixin, snippets.DeleteView):
    pass


class ArticleHistoryView(ArticlePermissionMixin, snippets.HistoryView):
    pass


class ArticleUsageView(ArticlePermissionMixin, snippets.UsageView):
    pass


class ArticleInspectView(ArticlePermissionMixin, snippets.InspectView):
    pass


class ArticleCopyView(snippets.CopyView):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        from sinmun.newsroom.policies import ArticlePermissionPolicy

        policy = self.permission_policy
        if isinstance(policy, ArticlePermissionPolicy) and not (
            policy.user_has_permission_for_instance(self.request.user, "add", obj)
        ):
            raise PermissionDenied
        return obj

    def save_instance(self):
        self.form.instance.owner = self.request.user
        return super().save_instance()


class ArticlePreviewOnEditView(ArticlePermissionMixin, snippets.PreviewOnEditView):
    pass


class ArticlePreviewRevisionView(ArticlePermissionMixin, snippets.PreviewRevisionView):
    pass


class ArticleRevisionsCompareView(ArticlePermissionMixin, snippets.RevisionsCompareView):
    pass


class ArticleUnpublishView(ArticlePermissionMixin, snippets.UnpublishView):
    pass


class ArticleRevisionsUnscheduleView(ArticlePermissionMixin, snippets.RevisionsUnscheduleView):
    pass


class ArticleLockView(ArticlePermissionMixin, snippets.LockView):
    pass


class ArticleUnlockView(ArticlePermissionMixin, snippets.UnlockView):
    pass


class ArticleConfirmWorkflowCancellationView(snippets.ConfirmWorkflowCancellationView):
    """Wagtail's "publishing cancels the workflow" confirmation checks nothing; it names
    the article's workflow and task. Only someone who may change the article asks."""

    def dispatch(self, request, *args, **kwargs):
        from sinmun.newsroom.policies import ArticlePermissionPolicy

        policy = ArticlePermissionPolicy(type(self.object))
        if not policy.user_has_permission_for_instance(request.user, "change", self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ArticleWorkflowHistoryView(ArticlePermissionMixin, snippets.WorkflowHistoryView):
    pass


class ArticleWorkflowHistoryDetailView(ArticlePermissionMixin, snippets.WorkflowHistoryDetailView):
    pass


VIEW_CLASSES = {
    "add_view_class": ArticleCreateView,
    "copy_view_class": ArticleCopyView,
    "edit_view_class": ArticleEditView,
    "delete_view_class": ArticleDeleteView,
    "history_view_class": ArticleHistoryView,
    "usage_view_class": ArticleUsageView,
    "inspect_view_class": ArticleInspectView,
    "preview_on_edit_view_class": ArticlePreviewOnEditView,
    "revisions_view_class": ArticlePreviewRevisionView,
    "revisions_compare_view_class": ArticleRevisionsCompareView,
    "unpublish_view_class": ArticleUnpublishView,
    "revisions_unschedule_view_class": ArticleRevisionsUnscheduleView,
    "lock_view_class": ArticleLockView,
    "unlock_view_class": ArticleUnlockView,
    "workflow_history_view_class": ArticleWorkflowHistoryView,
    "confirm_workflow_cancellation_view_class": ArticleConfirmWorkflowCancellationView,
    "workflow_history_detail_view_class": ArticleWorkflowHistoryDetailView,
}


class ArticleIndexView(snippets.IndexView):
    # The desk's listing at 100,000 articles: pages by article number, title search over
    # the title index (sinmun/newsroom/listing.py; measured by bench/desk.py).
    paginator_class = DeskPaginator

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return title_search(queryset, self.search_query)

    @cached_property
    def list_display(self):
        # The desk status column replaces Wagtail's live/draft tag (which costs two
        # queries per row on a model with workflows).
        return [c for c in super().list_display if not isinstance(c, LiveStatusTagColumn)]


VIEW_CLASSES["index_view_class"] = ArticleIndexView

# For the article SnippetViewSet (article_admin.py) to inherit.
ArticleViewClassesMixin = type("ArticleViewClassesMixin", (), dict(VIEW_CLASSES))
