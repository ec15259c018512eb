from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Article, Reporter, Section


class ArticleViewSet(SnippetViewSet):
    model = Article
    icon = "doc-full"
    menu_label = _("기사")
    menu_order = 100
    add_to_admin_menu = True
    list_display = ["title", "section", "reporter", "first_published_at", "status_string"]
    list_filter = ["section", "reporter", "live"]
    search_fields = ["title"]
    # Plain database filtering on the title: the archive's own Korean search index is
    # for readers; the desk needs a fast title match.
    search_backend_name = None
    ordering = ["-first_published_at", "-id"]
    list_per_page = 50


class SectionViewSet(SnippetViewSet):
    model = Section
    icon = "folder-open-inverse"
    list_display = ["name", "code", "order"]


class ReporterViewSet(SnippetViewSet):
    model = Reporter
    icon = "user"
    list_display = ["name", "email"]
    search_fields = ["name", "email"]
    search_backend_name = None


class DeskGroup(SnippetViewSetGroup):
    items = (SectionViewSet, ReporterViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("편집국")
    menu_name = "newsroom"
    menu_order = 110


register_snippet(ArticleViewSet)
register_snippet(DeskGroup)
