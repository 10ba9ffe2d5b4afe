"""Unhandled errors: JSON under /api/ that promises nothing, a plain page elsewhere, and
the traceback in the log without the request body."""

import logging

import pytest
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from config.errors import API_SERVER_ERROR
from config.urls import handler500  # noqa: F401 - this test urlconf uses the site's handler
from config.urls import urlpatterns as site_urls


class Boom(Exception):
    pass


@api_view(["POST"])
@permission_classes([AllowAny])
def api_boom(request):
    raise Boom("exploded after reading the body")


def page_boom(request):
    raise Boom("page exploded")


urlpatterns = [
    path("api/v1/boom/", api_boom),
    path("boom/", page_boom),
    *site_urls,
]


@pytest.fixture
def failing_client(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


def test_api_500_is_json_and_promises_nothing(failing_client, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")
    response = failing_client.post(
        "/api/v1/boom/", {"patient": "DOE^JANE"}, content_type="application/json"
    )
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": API_SERVER_ERROR}
    assert "may or may not have taken effect" in API_SERVER_ERROR
    for promise in ("saved", "nothing was changed", "lost"):
        assert promise not in API_SERVER_ERROR
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info and record.exc_info[0] is Boom
    assert "DOE^JANE" not in caplog.text


def test_page_500_is_a_plain_page_without_the_stack(failing_client):
    response = failing_client.get("/boom/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Traceback" not in html and "page exploded" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/v1/denials/not-a-number.json/", "/api/v1/tokens/%C2%84/", "/api/v1/nothing/"]
)
def test_an_api_url_that_names_nothing_is_a_json_404(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_a_page_url_that_names_nothing_is_a_page_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
