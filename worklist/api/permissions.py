"""Who may use the worklist API (see ``accounts.roles``). Which rows a user sees is the
queryset's job (``WorklistItem.objects.for_user``)."""

from accounts.permissions import ManagerOnly, StaffOnly


class WorklistAccess(StaffOnly):
    message = "This account may not use the worklist."


class IsManager(ManagerOnly):
    pass
