"""The audit trail: item changes are recorded; only managers read it."""

import pytest

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_only_managers_read_the_audit_trail(client, user, manager):
    AuditEvent.objects.create(
        actor=user,
        action="view",
        object_type="remittance.remittance",
        object_id="1",
        channel="page",
    )
    client.force_login(user)
    assert client.get("/audit/").status_code == 403
    client.force_login(manager)
    page = client.get("/audit/?actor=biller")
    assert page.status_code == 200
    assert "remittance.remittance 1" in page.content.decode()
