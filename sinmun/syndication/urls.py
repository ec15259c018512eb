from django.urls import path

from sinmun.core import converters  # noqa: F401 - registers <id:…>

from . import views

app_name = "syndication"

urlpatterns = [
    path("rss/", views.feed, name="feed"),
    path("rss/section/<slug:code>/", views.feed, name="section_feed"),
    # The addresses Korean news solutions give their feeds, so portals and readers
    # subscribed before a paper moved to sinmun keep receiving articles.
    path("rss/allArticle.xml", views.feed, name="legacy_feed"),
    path("rss/<slug:code>.xml", views.feed, name="legacy_section_feed"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
    path("sitemap-articles-<id:number>.xml", views.article_sitemap, name="article_sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap"),
]
