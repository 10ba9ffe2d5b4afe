"""Signing in and loading the signed-in user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef

from .roles import remember_role_groups


class RolesBackend(ModelBackend):
    """Django's model backend, except that loading the session's user (once per request)
    reads the names of the user's groups in the same query on PostgreSQL, so the role
    checks every page and API call makes (``accounts.roles``) ask the database nothing
    more. Elsewhere (SQLite, the embedded default) the roles are read when first asked."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager
        if connection.vendor == "postgresql":
            names = Group.objects.filter(user=OuterRef("pk")).values("name")
            users = users.annotate(role_group_names=ArraySubquery(names))
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        names = user.__dict__.pop("role_group_names", None)
        if names is not None:
            remember_role_groups(user, names)
        return user
