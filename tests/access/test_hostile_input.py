"""No 500s from bad input: every filter of every list (API and page) against hostile
values, tampered page numbers and cursors, and multipart fields of the wrong type. The
API answers 400 with a field error where a number, date or row is expected; pages show
the form's errors and never fail."""

import django_filters
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .test_scope import API_ROUTES

pytestmark = pytest.mark.django_db

HOSTILE = [
    "1e309",
    "-1",
    "99999999999999999999",
    "abc",
    "NaN",
    "Infinity",
    "-0.0000001",
    "%00",
    "2024-13-45",
    "'; DROP TABLE x; --",
]
STRICT = (django_filters.NumberFilter, django_filters.ModelChoiceFilter, django_filters.DateFilter)


@pytest.mark.parametrize(("namespace", "basename", "viewset"), API_ROUTES)
def test_every_api_filter_answers_hostile_values_without_a_500(
    as_, item, namespace, basename, viewset
):
    client = as_("manager")
    url = reverse(f"{namespace}:{basename}-list")
    filterset = getattr(viewset, "filterset_class", None)
    filters = filterset.base_filters if filterset else {}
    for name, flt in filters.items():
        for value in HOSTILE:
            response = client.get(f"{url}?{name}={value}")
            assert response.status_code < 500, (name, value)
            if isinstance(flt, STRICT):
                assert response.status_code == 400, (name, value, response.content)
                assert name in response.data, (name, value)


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999", "1e309"])
@pytest.mark.parametrize(("namespace", "basename", "viewset"), API_ROUTES[:3])
def test_a_tampered_page_number_is_a_400(as_, item, namespace, basename, viewset, value):
    response = as_("manager").get(reverse(f"{namespace}:{basename}-list") + f"?page={value}")
    assert response.status_code == 400
    assert "page" in response.data


PAGES = {
    "/worklist/": "worklist.filtersets.WorklistItemFilterSet",
    "/worklist/team/ar-follow-up/": "worklist.filtersets.WorklistItemFilterSet",
    "/denials/": "denials.filtersets.DenialFilterSet",
    "/claims/": "claims.filtersets.SubmittedClaimFilterSet",
    "/appeals/": "appeals.filtersets.AppealFilterSet",
    "/remittances/": "remittance.filtersets.RemittanceFilterSet",
    "/remittances/exceptions/": "remittance.filtersets.PostingExceptionFilterSet",
    "/audit/": "audit.filtersets.AuditEventFilterSet",
}


@pytest.mark.parametrize("url", sorted(PAGES))
def test_every_page_filter_answers_hostile_values_without_a_500(client, people, item, url):
    from django.utils.module_loading import import_string

    client.force_login(people["manager"])
    names = [*import_string(PAGES[url]).base_filters, "page", "sort", "after"]
    for name in names:
        for value in HOSTILE:
            response = client.get(f"{url}?{name}={value}")
            assert response.status_code < 500, (url, name, value)


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/remittances/", {"file": "not a file"}),
        ("/api/v1/worklist/teams/", {"name": "X", "slug": "x", "members": "abc"}),
        ("/api/v1/worklist/routing-rules/", {"name": "X", "order": "abc", "team": "abc"}),
        ("/api/v1/worklist/payer-rules/", {"kind": "appeal_1", "days": "1e309"}),
        ("/api/v1/worklist/category-policies/", {"category": "coding", "work_cost": "NaN"}),
    ],
)
def test_a_multipart_field_of_the_wrong_type_is_a_400(as_, item, url, body):
    response = as_("manager").post(url, body, format="multipart")
    assert response.status_code == 400, response.content


def a_file():
    return SimpleUploadedFile("notes.txt", b"in_progress")


@pytest.mark.parametrize(
    "body",
    [
        lambda: {"to_status": a_file()},
        lambda: {
            "to_status": "resolved",
            "resolution": "recovered_partial",
            "recovered_amount": a_file(),
        },
        lambda: {"to_status": "resolved", "recovered_amount": "1e309"},
    ],
)
def test_a_transition_with_the_wrong_types_is_a_400(as_, item, body):
    url = f"/api/v1/worklist/items/{item.pk}/transition/"
    assert as_("biller").post(url, body(), format="multipart").status_code == 400
    item.refresh_from_db()
    assert item.status == "new"
