"""Wagtail's users app with the newsroom's user views (sinmun/newsroom/users.py).

Listed in INSTALLED_APPS in place of ``wagtail.users`` (Wagtail's documented way to
swap the user viewset); same label, same models and migrations.
"""

from wagtail.users.apps import WagtailUsersAppConfig


class NewsroomUsersConfig(WagtailUsersAppConfig):
    user_viewset = "sinmun.newsroom.users.NewsroomUserViewSet"
