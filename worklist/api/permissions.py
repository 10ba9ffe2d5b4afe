"""Who may use the worklist API. Scoping of rows (which items a user sees) is the
queryset's job (``WorklistItem.objects.for_user``); these classes decide who may call
an endpoint at all."""

from rest_framework.permissions import BasePermission

from ..querysets import is_manager

INTEGRATION_GROUP = "integration"


class WorklistAccess(BasePermission):
    """Signed-in staff. Integration accounts (the "integration" group) only post
    remittances, so every worklist endpoint refuses them."""

    message = "This account may not use the worklist."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        return not user.groups.filter(name=INTEGRATION_GROUP).exists()


class IsManager(WorklistAccess):
    """Worklist staff who steer every team: the "manager" group and superusers."""

    message = "Only managers may do this."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and is_manager(request.user)
