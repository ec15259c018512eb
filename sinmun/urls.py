from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from sinmun.core import views as core_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("", include("sinmun.website.urls")),
    path("", include("sinmun.newsroom.urls")),
    path("", include("sinmun.syndication.urls")),
    path("", include("sinmun.search.urls")),
    path("reader/", include("sinmun.readers.urls")),
]

if settings.SINMUN_SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Wagtail's page tree serves the few hand-made pages (about, policies), if any.
urlpatterns += [path("pages/", include(wagtail_urls))]

handler404 = "sinmun.core.views.page_not_found"
handler500 = "sinmun.core.views.server_error"
