"""Uncached reader endpoints, all under /reader/ so their CSRF cookie stays here
(views.reader_endpoint)."""

from django.urls import path
from django.views.generic import RedirectView

from sinmun.core import converters  # noqa: F401 - registers <id:…>

from . import views

app_name = "readers"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="articles:home"), name="root"),
    path("article/<id:pk>/email/", views.article_email, name="article_email"),
    path("article/<id:pk>/like/", views.article_like, name="article_like"),
    path("article/<id:pk>/state/", views.article_state, name="article_state"),
    path("article/<id:pk>/view/", views.article_view_beacon, name="article_view"),
]
