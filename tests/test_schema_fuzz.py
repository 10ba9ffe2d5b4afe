"""The API against its own OpenAPI schema: schemathesis generates valid and invalid
requests for every operation (bounded, with a fixed seed) and sends them, signed in as a
manager, through the WSGI application, with a booked remittance in the database so lists
and details have rows. No answer may be a server error, and every answer must be one the
schema documents: its status code, content type, body and headers.

Excluded: nothing. Every operation in the schema runs."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from remittance.services import remittance_process, remittance_receive

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
TOKEN_KEY = re.compile(r"[0-9A-Za-z_-]+")  # what the token URL accepts
SAMPLE = "pyx12_835-mult-loops.835"  # one denied claim: a claim, a denial, a worklist item


@pytest.fixture
def _connection_kept():
    """The WSGI application closes the database connection after each request, taking the
    test's transaction with it; Django's own test client keeps it open the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def booked(data_file, django_capture_on_commit_callbacks):
    """A sample remittance booked end to end (Celery runs eagerly): rows for every list."""
    path = data_file(SAMPLE)
    with django_capture_on_commit_callbacks(execute=True):
        with open(path, "rb") as stream:
            received = remittance_receive(stream=stream, filename=path.name, source="command")
        remittance_process(remittance_id=received.remittance.pk)


@pytest.fixture
def auth_headers(manager, booked, _connection_kept):
    from accounts.services import api_token_create

    return {"Authorization": f"Token {api_token_create(user=manager).secret}"}


@pytest.fixture
def real_ids(manager, booked):
    """A row of each resource, by the path's first segments: a generated whole-number id
    is replaced by it, so details, changes and actions reach a real object (other
    generated ids, negative and of the wrong type, still test the 404s)."""
    from accounts.services import api_token_create
    from denials.models import Denial
    from remittance.models import Claim, Remittance
    from worklist.models import CategoryPolicy, PayerRule, RoutingRule, Team, WorklistItem

    models = {
        "/api/v1/remittances/": Remittance,
        "/api/v1/claims/": Claim,
        "/api/v1/denials/": Denial,
        "/api/v1/worklist/items/": WorklistItem,
        "/api/v1/worklist/teams/": Team,
        "/api/v1/worklist/routing-rules/": RoutingRule,
        "/api/v1/worklist/payer-rules/": PayerRule,
        "/api/v1/worklist/category-policies/": CategoryPolicy,
    }
    ids = {
        prefix: model.objects.values_list("pk", flat=True).first()
        for prefix, model in models.items()
    }
    # A token of the manager's other than the one the requests use: revoking it is fine.
    ids["/api/v1/tokens/"] = api_token_create(user=manager).token.token_key
    return {prefix: pk for prefix, pk in ids.items() if pk is not None}


def _aim_at_a_real_row(case, real_ids) -> None:
    for name, value in (case.path_parameters or {}).items():
        if isinstance(value, int) or (name == "token_key" and TOKEN_KEY.fullmatch(str(value))):
            for prefix, pk in real_ids.items():
                if case.path.startswith(prefix):
                    case.path_parameters[name] = pk


@schemathesis.serializer("application/edi-x12")
def _raw_x12(ctx, value) -> bytes:
    """A raw 835 body (the remittance upload): sent as the bytes generated."""
    if isinstance(value, bytes):
        return value
    data = getattr(value, "data", value)  # schemathesis wraps generated binary values
    return data if isinstance(data, bytes) else str(data).encode()


# Loaded when the module is collected: the schema view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    # The booked remittance and the token are meant to be shared by an operation's examples
    # (each operation runs in a transaction of its own, rolled back after it).
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_api_conforms_to_its_schema_and_never_fails(case, auth_headers, real_ids):
    _aim_at_a_real_row(case, real_ids)
    case.call_and_validate(headers=auth_headers, checks=CHECKS)
