"""The factories build consistent rows, and the personas see what their role allows."""

import pytest

from tests.factories import WorklistItemFactory
from worklist.models import WorklistItem

pytestmark = pytest.mark.django_db


def test_an_item_from_the_factory_reaches_its_team_only(biller, teammate, outsider, manager):
    item = WorklistItemFactory()
    assert item.claim.remittance == item.claim.era.remittance
    assert item.payer == item.claim.payer
    assert item.patient_control_number == item.claim.patient_control_number
    for person, sees in [(biller, True), (teammate, True), (outsider, False), (manager, True)]:
        assert WorklistItem.objects.for_user(person).filter(pk=item.pk).exists() is sees


def test_an_integration_account_sees_no_items(integration):
    WorklistItemFactory()
    assert not WorklistItem.objects.for_user(integration).exists()
