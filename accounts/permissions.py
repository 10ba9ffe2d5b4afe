"""DRF permissions and a page mixin built on ``accounts.roles``."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from .roles import is_integration, is_manager, is_staff_member

NO_ROLE_MESSAGE = "Your account has no role yet; ask a manager."


class StaffOnly(BasePermission):
    """Signed-in staff (biller, manager or superuser); integration accounts and accounts
    with no role are refused."""

    message = "This account may not read patient data."

    def has_permission(self, request, view) -> bool:
        if is_staff_member(request.user):
            return True
        if request.user.is_authenticated and not is_integration(request.user):
            self.message = NO_ROLE_MESSAGE
        return False


class StaffOrIntegration(BasePermission):
    """Staff, or an integration account (which posts remittances and reads their status)."""

    message = NO_ROLE_MESSAGE

    def has_permission(self, request, view) -> bool:
        return is_staff_member(request.user) or is_integration(request.user)


class ManagerOnly(StaffOnly):
    message = "Only managers may do this."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and is_manager(request.user)


class StaffPageMixin(LoginRequiredMixin):
    """Pages: sign-in required; integration accounts get 403 (they use the API only), and
    so does an account with no role yet."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not is_staff_member(user):
            if is_integration(user):
                raise PermissionDenied("Integration accounts use the API only.")
            raise PermissionDenied(NO_ROLE_MESSAGE)
        return super().dispatch(request, *args, **kwargs)
