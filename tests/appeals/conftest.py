"""The ``book`` fixture (write and book a small 835), an appealable item, and the June
data set of the analytics tests (``june``, ``june_cuts``) for the list's filters."""

import pytest

from tests.analytics.conftest import june, june_cuts  # noqa: F401
from tests.worklist.test_services import book  # noqa: F401, F811


@pytest.fixture
def appealable(book, biller):  # noqa: F811
    """A commercial payer's denial (CO-50, $1,000), held by the biller (on its team)."""
    from tests.worklist.test_services import denied
    from worklist.models import WorklistItem
    from worklist.services import item_assign

    book(denied("AP1", "50", "1000.00"), trace="A1")
    item = WorklistItem.objects.get(patient_control_number="AP1")
    item.team.members.add(biller)  # medical necessity: the clinical appeals team
    return item_assign(item=item, assignee=biller, actor=biller)
