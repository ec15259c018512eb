"""Uncached reader endpoints, all under /reader/ so their CSRF cookie stays here
(views.reader_endpoint)."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "readers"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="articles:home"), name="root"),
    path("article/<int:pk>/email/", views.article_email, name="article_email"),
    path("article/<int:pk>/like/", views.article_like, name="article_like"),
    path("article/<int:pk>/state/", views.article_state, name="article_state"),
    path("article/<int:pk>/view/", views.article_view_beacon, name="article_view"),
]
