from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from sinmun.articles.models import Article

from . import article_admin  # noqa: F401 - registers the article, section and reporter admin
from .models import Correction, LatePublication

LATE_PANEL_DAYS = 7


class CorrectionCreateView(CreateView):
    def get_initial_form_instance(self):
        article_id = self.request.GET.get("article", "")
        if article_id.isdigit():
            article = Article.objects.filter(pk=int(article_id)).first()
            if article is not None:
                return Correction(article=article)
        return None

    def save_instance(self):
        # Through the newsroom's one writer of notes, which moves the 수정 time too.
        from .services import correction_append

        instance = self.form.instance
        correction = correction_append(
            article=instance.article, note=instance.note, author=self.request.user
        )
        log(instance=correction, action="wagtail.create", user=self.request.user)
        return correction


class CorrectionViewSet(SnippetViewSet):
    model = Correction
    icon = "warning"
    menu_label = _("정정·수정")
    menu_order = 120
    add_to_admin_menu = True
    add_view_class = CorrectionCreateView
    list_display = ["article", "note", "created_at", "author"]
    list_filter = []
    ordering = ["-created_at", "-id"]
    list_per_page = 50

    def get_queryset(self, request):
        return Correction.objects.select_related("article", "author")


register_snippet(CorrectionViewSet)


@hooks.register("register_snippet_listing_buttons")
def correction_button(snippet, user, next_url=None):
    if (
        isinstance(snippet, Article)
        and snippet.first_published_at
        and user.has_perm("newsroom.add_correction")
    ):
        url = reverse("wagtailsnippets_newsroom_correction:add") + f"?article={snippet.pk}"
        yield ListingButton(_("정정·수정 사유 추가"), url, priority=50, icon_name="warning")


class LatePublicationsPanel(Component):
    """Scheduled articles that went out late this week (the scheduler was down)."""

    name = "late_publications"
    order = 90
    template_name = "newsroom/admin/late_publications_panel.html"

    def __init__(self, items):
        self.items = items

    def get_context_data(self, parent_context):
        return {"items": self.items}


class LegalFieldsWarningPanel(Component):
    """The legal footer (신문법 제21조) is incomplete: say so on every admin home visit."""

    name = "legal_fields_warning"
    order = 50
    template_name = "newsroom/admin/legal_fields_panel.html"

    def __init__(self, missing):
        self.missing = missing

    def get_context_data(self, parent_context):
        return {
            "missing": self.missing,
            "settings_url": reverse("wagtailsettings:edit", args=["sitesettings", "siteprofile"]),
        }


@hooks.register("construct_homepage_panels")
def newsroom_home_panels(request, panels):
    from sinmun.sitesettings.models import SiteProfile

    missing = SiteProfile.load().missing_legal_fields
    if missing:
        panels.append(LegalFieldsWarningPanel(missing))
    if request.user.has_perm("articles.publish_article"):
        since = timezone.now() - timezone.timedelta(days=LATE_PANEL_DAYS)
        late = list(
            LatePublication.objects.filter(published_at__gte=since).select_related("article")[:20]
        )
        if late:
            panels.append(LatePublicationsPanel(late))


@hooks.register("insert_editor_js")
def autosave_guard_js():
    # Autosave stays on (nothing a reporter writes is lost); this keeps it from racing the
    # editor's own buttons (static/newsroom/autosave_guard.js, docs/newsroom.md).
    return format_html('<script src="{}"></script>', versioned_static("newsroom/autosave_guard.js"))
