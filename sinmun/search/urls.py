from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search", views.search, name="search"),
    path("search/", views.search),
    path("m/search", views.search, {"edition": "mobile"}, name="mobile_search"),
    path("m/search/", views.search, {"edition": "mobile"}),
]
