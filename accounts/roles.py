"""Roles, as Django groups: the one place that says who is what.

- biller: any signed-in staff user; works the items of the teams they belong to;
- manager: the "manager" group (or a superuser); sees and steers every team;
- integration: the "integration" group; an API client that posts remittances and reads
  their status, and nothing else (no pages, no claims, denials or worklists).
"""

MANAGER_GROUP = "manager"
INTEGRATION_GROUP = "integration"


def _in_group(user, name: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_role_groups", None)
    if cache is None:
        cache = user.__dict__["_role_groups"] = set(user.groups.values_list("name", flat=True))
    return name in cache


def is_manager(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_superuser) or _in_group(
        user, MANAGER_GROUP
    )


def is_integration(user) -> bool:
    return _in_group(user, INTEGRATION_GROUP) and not getattr(user, "is_superuser", False)


def is_staff_member(user) -> bool:
    """Signed in and allowed to read patient data (everyone but integration accounts)."""
    return bool(user is not None and user.is_authenticated) and not is_integration(user)
