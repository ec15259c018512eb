from django.urls import path

from . import views

app_name = "newsroom"

urlpatterns = [
    path("corrections/", views.corrections, name="corrections"),
    path("policy/youth/", views.youth_policy, name="youth_policy"),
]
