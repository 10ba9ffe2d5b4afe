"""Production headers: no-store for signed-in users, and the Content Security Policy."""

import pytest
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urls

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
}


def policy(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def cached_view(request):
    response = HttpResponse("public")
    response["Cache-Control"] = "max-age=60"
    return response


urlpatterns = [path("cached/", cached_view), *site_urls]


def test_pages_for_a_signed_in_user_are_not_stored(client, user):
    client.force_login(user)
    response = client.get("/worklist/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


def test_api_answers_are_not_stored_session_or_token(client, user, token_client):
    client.force_login(user)
    assert client.get("/api/v1/remittances/")["Cache-Control"] == "no-store"
    response = token_client.get("/api/v1/remittances/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


def test_a_view_that_sets_cache_control_keeps_it(client, user, settings):
    settings.ROOT_URLCONF = __name__
    client.force_login(user)
    response = client.get("/cached/")
    assert response["Cache-Control"] == "max-age=60"
    assert not response.has_header("Pragma")


def test_anonymous_and_static_responses_are_left_alone(client, user, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve static files as in production
    redirect = client.get("/password/change/")
    assert redirect.status_code == 302
    assert not redirect.has_header("Cache-Control")
    assert not redirect.has_header("Pragma")
    client.force_login(user)
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert not response.has_header("Pragma")
    assert "no-store" not in response.get("Cache-Control", "")


def test_every_page_has_the_strict_policy(client, user):
    assert policy(client.get("/login/")) == POLICY
    client.force_login(user)
    assert policy(client.get("/worklist/")) == POLICY
    assert policy(client.get("/api/v1/remittances/")) == POLICY


def test_api_docs_keep_the_strict_policy_and_no_inline_script(client, user):
    client.force_login(user)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert policy(page) == POLICY
    html = page.content.decode()
    assert "<style" not in html
    assert "<script>" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
