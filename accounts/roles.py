"""Roles, as Django groups: the one place that says who is what.

- biller: the "biller" group; works the items of the teams they belong to;
- manager: the "manager" group (or a superuser); sees and steers every team;
- integration: the "integration" group; an API client that posts remittances and reads
  their status, and nothing else (no pages, no claims, denials or worklists).

Roles are explicit: an active account in none of these groups (and not a superuser) has
no role and sees no patient data, whatever teams it is on.
"""

BILLER_GROUP = "biller"
MANAGER_GROUP = "manager"
INTEGRATION_GROUP = "integration"
ROLE_GROUPS = (BILLER_GROUP, MANAGER_GROUP, INTEGRATION_GROUP)


_ROLE_GROUPS = "_role_groups"  # the attribute holding a user's group names for the request


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def remember_role_groups(user, names) -> None:
    """The user's group names, as read along with the user (``accounts.backends``): the
    role checks below use them for the rest of the request instead of asking again."""
    setattr(user, _ROLE_GROUPS, set(names))


def _in_group(user, name: str) -> bool:
    if not _signed_in(user):
        return False
    # getattr and setattr, not the instance dict: ``request.user`` is a lazy wrapper that
    # passes them on to the user it wraps.
    cache = getattr(user, _ROLE_GROUPS, None)
    if cache is None:
        remember_role_groups(user, user.groups.values_list("name", flat=True))
        cache = getattr(user, _ROLE_GROUPS)
    return name in cache


def is_manager(user) -> bool:
    return (_signed_in(user) and user.is_superuser) or _in_group(user, MANAGER_GROUP)


def is_integration(user) -> bool:
    return _in_group(user, INTEGRATION_GROUP) and not getattr(user, "is_superuser", False)


def is_biller(user) -> bool:
    return _in_group(user, BILLER_GROUP)


def is_staff_member(user) -> bool:
    """Signed in with a role that reads patient data: biller, manager or superuser.
    Integration accounts never do, even if also put in another group."""
    if not _signed_in(user) or is_integration(user):
        return False
    return is_manager(user) or is_biller(user)


def has_no_role(user) -> bool:
    """Signed in, but neither staff nor an integration account: sees nothing yet."""
    return _signed_in(user) and not is_staff_member(user) and not is_integration(user)
