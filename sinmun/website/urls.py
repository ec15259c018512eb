from django.urls import path

from sinmun.core import converters  # noqa: F401 - registers <id:…>
from sinmun.readers import views as reader_views

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("article/<id:pk>/", views.article_detail, name="article"),
    path("article/<id:pk>/print/", views.article_print, name="article_print"),
    path("section/<slug:code>/", views.section_detail, name="section"),
    path("reporter/<id:pk>/", views.reporter_detail, name="reporter"),
    path("tag/<str:slug>/", views.tag_detail, name="tag"),
    path("ranking/", reader_views.ranking, name="ranking"),
    # The mobile edition: the same content in lighter pages.
    path("m/", views.home, {"edition": "mobile"}, name="mobile_home"),
    path("m/article/<id:pk>/", views.article_detail, {"edition": "mobile"}, name="mobile_article"),
    path(
        "m/section/<slug:code>/", views.section_detail, {"edition": "mobile"}, name="mobile_section"
    ),
    path("m/ranking/", reader_views.ranking, {"edition": "mobile"}, name="mobile_ranking"),
    # URL forms of Korean news solutions, kept working for papers that move in.
    path("news/articleView.html", views.legacy_article_view, name="legacy_article"),
    path("m/news/articleView.html", views.legacy_article_view, name="legacy_mobile_article"),
    path("news/articleList.html", views.legacy_article_list, name="legacy_list"),
]
