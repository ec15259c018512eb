"""The desk's admin of the archive: articles, sections and reporters as Wagtail snippets
(registered from wagtail_hooks.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sinmun.articles.models import Article, Reporter, Section

from .admin_views import ArticleViewClassesMixin
from .listing import ArticleFilterSet, DeskStatusColumn, article_listing_queryset


# ArticleViewClassesMixin: every admin view asks the newsroom's article permission policy
# about the article in hand (sinmun/newsroom/policies.py).
class ArticleViewSet(ArticleViewClassesMixin, SnippetViewSet):
    model = Article
    icon = "doc-full"
    menu_label = _("기사")
    menu_order = 100
    add_to_admin_menu = True
    list_display = ["title", "section", "reporter", "first_published_at", DeskStatusColumn()]
    # Status, section, reporter, date and "mine" (sinmun/newsroom/listing.py).
    filterset_class = ArticleFilterSet
    search_fields = ["title"]
    # Plain database filtering on the title: the archive's own Korean search index is
    # for readers; the desk needs a fast title match.
    search_backend_name = None
    ordering = ["-first_published_at", "-id"]
    list_per_page = 50

    def get_queryset(self, request):
        return article_listing_queryset(request)


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
