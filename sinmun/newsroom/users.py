"""Wagtail's user admin, held to what 관리자 may do (the app config in apps.py uses it).

관리자 manages people: adds users, resets passwords, puts each person in 기자, 데스크 or
관리자. It does not decide what those roles may do, and it cannot make anyone (itself
included) more than the roles allow. Stock Wagtail lets anyone with ``add_user`` or
``change_user`` tick "Administrator" (superuser) on a form, edit a superuser's password,
and edit their own groups; here, for everyone but a superuser:

* the "Administrator" box is shown disabled and a posted value is ignored;
* a superuser's account cannot be opened for editing (so not taken over by a new
  password either);
* the groups offered are the newsroom's roles only, and one's own groups are shown but
  cannot be changed (another 관리자 or a superuser must do it);
* group permissions are not 관리자's at all: the role has no ``*_group`` permission
  (migration newsroom 0003), so Wagtail's group views refuse it.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from wagtail.users.views import users

from .roles import ROLE_PERMISSIONS


def _hold_form_to_roles(form, request_user, *, editing_self: bool):
    if request_user.is_superuser:
        return form
    if "is_superuser" in form.fields:
        field = form.fields["is_superuser"]
        field.disabled = True
        field.help_text = _("최고 관리자 권한은 최고 관리자만 줄 수 있습니다.")
    if "groups" in form.fields:
        field = form.fields["groups"]
        field.queryset = Group.objects.filter(name__in=list(ROLE_PERMISSIONS)).order_by("name")
        if editing_self:
            field.disabled = True
            field.help_text = _("자기 역할은 바꿀 수 없습니다. 다른 관리자에게 부탁하세요.")
    return form


class NewsroomUserCreateView(users.CreateView):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        return _hold_form_to_roles(form, self.request.user, editing_self=False)


class NewsroomUserEditView(users.EditView):
    def dispatch(self, request, *args, **kwargs):
        if self.object.is_superuser and not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        return _hold_form_to_roles(form, self.request.user, editing_self=self.editing_self)

    def save_instance(self):
        # Groups outside the newsroom's roles (set by a superuser) are not offered to
        # 관리자, so they must survive its save.
        kept = []
        if not self.request.user.is_superuser:
            kept = list(self.object.groups.exclude(name__in=list(ROLE_PERMISSIONS)))
        instance = super().save_instance()
        if kept:
            instance.groups.add(*kept)
        return instance


class NewsroomUserViewSet(users.UserViewSet):
    add_view_class = NewsroomUserCreateView
    edit_view_class = NewsroomUserEditView
