"""DRF permissions and a page mixin built on ``accounts.roles``."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from .roles import is_manager, is_staff_member


class StaffOnly(BasePermission):
    """Signed-in staff; integration accounts are refused."""

    message = "This account may not read patient data."

    def has_permission(self, request, view) -> bool:
        return is_staff_member(request.user)


class ManagerOnly(StaffOnly):
    message = "Only managers may do this."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and is_manager(request.user)


class StaffPageMixin(LoginRequiredMixin):
    """Pages: sign-in required; integration accounts get 403 (they use the API only)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_staff_member(request.user):
            raise PermissionDenied("Integration accounts use the API only.")
        return super().dispatch(request, *args, **kwargs)
