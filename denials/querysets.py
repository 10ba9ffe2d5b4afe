import re

from django.db import models
from django.db.models import Q

from accounts.roles import is_manager, is_staff_member


class DenialQuerySet(models.QuerySet):
    def for_user(self, user):
        """Denials the user may see: managers all; other staff those on their teams'
        worklist items; integration accounts none."""
        if not is_staff_member(user):
            return self.none()
        if is_manager(user):
            return self
        return self.filter(item_link__item__team__members=user)


GROUPED = re.compile(r"^(CO|PR|OA|PI|CR)[-\s]*(\w{1,5})$")
REMARK = re.compile(r"^(M|N|MA)\d+$")


def code_condition(value: str, prefix: str = "") -> Q:
    """Denials (or, with ``prefix``, rows reaching denials through it) that carry a code:
    a group and CARC ("CO-252": that adjustment), a bare CARC ("252": in any group) or a
    RARC ("N211"). Adjustment and remark codes are JSON lists: matched by their quoted
    text, which works on every database."""
    code = value.strip().upper()
    if not code:
        return Q()
    if match := GROUPED.match(code):
        group, carc = match.groups()
        return Q(**{f"{prefix}adjustment_codes__icontains": f'"{group}-{carc}"'})
    if REMARK.match(code):
        return Q(**{f"{prefix}remark_codes__icontains": f'"{code}"'})
    return Q(**{f"{prefix}reason_code": code}) | Q(
        **{f"{prefix}adjustment_codes__icontains": f'-{code}"'}
    )
