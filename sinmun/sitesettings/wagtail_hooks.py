from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Banner


class BannerViewSet(SnippetViewSet):
    model = Banner
    icon = "pick"
    list_display = ["label", "url", "active", "order"]


register_snippet(BannerViewSet)
