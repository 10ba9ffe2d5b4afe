"""Sign-in, its throttle, sign-out, password change and session lifetime."""

import logging
import runpy
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import throttle
from accounts.middleware import RENEWED_AT

pytestmark = pytest.mark.django_db

LOGIN = "/login/"
LOCKED = "Too many failed sign-in attempts. Try again in 15 minutes."
BASE_SETTINGS = Path(__file__).resolve().parents[2] / "config" / "settings" / "base.py"


@pytest.fixture(autouse=True)
def private_cache(settings):
    """Each test counts failures in a cache of its own (CI's default cache is a shared Redis)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"auth-tests-{uuid.uuid4()}",
        }
    }


@pytest.fixture
def clock(monkeypatch):
    """A settable ``time.time`` (the throttle and LocMemCache's expiry both read it)."""
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def sign_in(client, username, password, ip="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_login_page_renders(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b"<h1>Sign in</h1>" in response.content
    assert b'name="username"' in response.content
    assert b'autocomplete="current-password"' in response.content


def test_sign_in_lands_on_the_remittance_list(client, user):
    response = sign_in(client, "biller", "pw-biller-1")
    assert response.status_code == 302
    assert response.url == "/worklist/"
    assert signed_in(client)


def test_wrong_password_shows_the_error(client, user):
    response = sign_in(client, "biller", "wrong")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert not signed_in(client)


def test_sixth_attempt_is_refused_even_with_the_right_password(client, user):
    for _ in range(4):
        assert sign_in(client, "biller", "wrong").status_code == 200
    fifth = sign_in(client, "biller", "wrong")
    assert fifth.status_code == 429  # the failure that reaches the limit says so at once
    response = sign_in(client, "biller", "pw-biller-1")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert response["Retry-After"] == "900"
    assert not signed_in(client)


def test_the_lock_is_per_username_and_address(client, user, manager):
    for _ in range(5):
        sign_in(client, "biller", "wrong", ip="10.0.0.1")
    assert sign_in(client, "biller", "pw-biller-1", ip="10.0.0.1").status_code == 429
    assert sign_in(client, "BILLER", "pw-biller-1", ip="10.0.0.1").status_code == 429
    # A colleague behind the same office address signs in; so does biller from home.
    assert sign_in(client, "manager", "pw-manager-1", ip="10.0.0.1").status_code == 302
    client.post("/logout/")
    assert sign_in(client, "biller", "pw-biller-1", ip="10.0.1.1").status_code == 302


def test_guessing_a_username_from_many_addresses_does_not_lock_its_owner_out(client, user):
    for n in range(10):
        sign_in(client, "biller", "wrong", ip=f"10.0.0.{n}")
    assert sign_in(client, "biller", "pw-biller-1", ip="10.0.1.1").status_code == 302


def test_one_address_spraying_many_usernames_is_locked_out(client, user, settings):
    assert settings.LOGIN_THROTTLE_ADDRESS_FAILURES == 100
    for n in range(99):
        assert sign_in(client, f"guess{n}", "wrong", ip="10.0.0.9").status_code == 200
    assert sign_in(client, "guess99", "wrong", ip="10.0.0.9").status_code == 429
    assert sign_in(client, "biller", "pw-biller-1", ip="10.0.0.9").status_code == 429
    assert sign_in(client, "biller", "pw-biller-1", ip="10.0.0.8").status_code == 302


def test_a_success_resets_the_counter_for_its_address(client, user):
    for _ in range(4):
        sign_in(client, "biller", "wrong", ip="10.0.0.1")
    assert sign_in(client, "biller", "pw-biller-1", ip="10.0.0.1").status_code == 302
    client.post("/logout/")
    for _ in range(4):
        assert sign_in(client, "biller", "wrong", ip="10.0.0.1").status_code == 200
    assert sign_in(client, "biller", "pw-biller-1", ip="10.0.0.1").status_code == 302


def test_the_lock_counts_down_and_ends(client, user, clock):
    for _ in range(5):
        sign_in(client, "biller", "wrong")
    clock[0] += 7.5 * 60
    assert "Try again in 8 minutes." in sign_in(client, "biller", "pw-biller-1").content.decode()
    clock[0] += 7 * 60
    assert "Try again in 1 minute." in sign_in(client, "biller", "pw-biller-1").content.decode()
    clock[0] += 31
    assert sign_in(client, "biller", "pw-biller-1").status_code == 302


def test_failures_outside_the_window_do_not_add_up(client, user, clock):
    for _ in range(4):
        sign_in(client, "biller", "wrong")
    clock[0] += 15 * 60 + 1
    assert sign_in(client, "biller", "wrong").status_code == 200


def test_failed_sign_ins_log_counts_and_address_but_no_username(client, user, caplog):
    caplog.set_level(logging.INFO, logger="accounts.throttle")
    for _ in range(5):
        sign_in(client, "biller", "wrong", ip="192.0.2.7")
    messages = [record.getMessage() for record in caplog.records]
    assert any("192.0.2.7" in m and "5 for the address" in m for m in messages)
    assert any("locked" in m for m in messages)
    assert not any("biller" in m for m in messages)


@pytest.mark.parametrize(
    ("proxies", "expected"),
    [(0, "10.0.0.1"), (1, "203.0.113.9"), (2, "198.51.100.3"), (3, "10.0.0.1")],
)
def test_client_address_trusts_only_the_configured_proxies(settings, proxies, expected):
    settings.LOGIN_THROTTLE_PROXY_COUNT = proxies
    request = RequestFactory().post(
        LOGIN, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.3, 203.0.113.9"
    )
    assert throttle.client_ip(request) == expected


@pytest.mark.redis
def test_the_throttle_works_on_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_CACHE_URL,  # never the broker's database
            "KEY_PREFIX": f"test-{uuid.uuid4()}",
        }
    }
    from django.core.cache import cache

    attempt = {"username": "biller", "ip": "192.0.2.8"}
    try:
        for _ in range(4):
            assert throttle.record_failure(**attempt) == 0
        key = cache.make_key(f"{throttle._keys(**attempt)['pair']}:failures")
        assert 0 < cache._cache.get_client(key).ttl(key) <= 900  # incr kept the window
        assert 890 < throttle.record_failure(**attempt) <= 900
        assert 890 < throttle.lockout_remaining(username="BILLER", ip="192.0.2.8") <= 900
        assert throttle.lockout_remaining(username="biller", ip="192.0.2.99") == 0
    finally:
        for stem in throttle._keys(**attempt).values():
            cache.delete_many([f"{stem}:failures", f"{stem}:locked"])


def test_sign_in_works_while_redis_is_down(client, user, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: connection refused
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    caplog.set_level(logging.WARNING, logger="accounts.throttle")
    assert sign_in(client, "biller", "wrong").status_code == 200
    assert not signed_in(client)
    assert sign_in(client, "biller", "pw-biller-1").status_code == 302
    assert signed_in(client)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings and all("throttle unavailable" in m for m in warnings)
    assert not any("biller" in m for m in warnings)


def test_logout_requires_post(client, user):
    client.force_login(user)
    assert client.get("/logout/").status_code == 405
    assert signed_in(client)
    response = client.post("/logout/", follow=True)
    assert response.redirect_chain == [("/login/", 302)]
    assert b"You have signed out." in response.content
    assert not signed_in(client)


def test_password_change_requires_login(client):
    response = client.get("/password/change/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/password/change/"


def test_password_change_works_and_keeps_the_session(client, user):
    client.force_login(user)
    assert client.get("/password/change/").status_code == 200
    response = client.post(
        "/password/change/",
        {
            "old_password": "pw-biller-1",
            "new_password1": "claims-recovered-2026",
            "new_password2": "claims-recovered-2026",
        },
        follow=True,
    )
    assert response.redirect_chain == [("/password/change/done/", 302)]
    assert b"Password changed" in response.content
    user.refresh_from_db()
    assert user.check_password("claims-recovered-2026")
    assert client.get("/remittances/").status_code == 200


def test_password_change_refuses_a_wrong_old_password(client, user):
    client.force_login(user)
    response = client.post(
        "/password/change/",
        {
            "old_password": "nope",
            "new_password1": "x-9LongEnough",
            "new_password2": "x-9LongEnough",
        },
    )
    assert response.status_code == 200
    assert b"Your old password was entered incorrectly" in response.content
    user.refresh_from_db()
    assert user.check_password("pw-biller-1")


def test_admin_signs_in_through_the_throttled_form(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/admin/"


def test_session_settings(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_RENEW_SECONDS <= 60


def test_session_idle_time_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("SESSION_IDLE_SECONDS", raising=False)
    assert runpy.run_path(str(BASE_SETTINGS))["SESSION_COOKIE_AGE"] == 30 * 60
    monkeypatch.setenv("SESSION_IDLE_SECONDS", "600")
    assert runpy.run_path(str(BASE_SETTINGS))["SESSION_COOKIE_AGE"] == 600


def _age_session(client, *, renewed_seconds_ago: int, expires_in: int) -> None:
    session = client.session
    session[RENEWED_AT] = int(time.time()) - renewed_seconds_ago
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=expires_in))


def test_a_request_renews_the_idle_timeout(client, user, settings):
    sign_in(client, "biller", "pw-biller-1")
    _age_session(client, renewed_seconds_ago=settings.SESSION_RENEW_SECONDS, expires_in=60)
    response = client.get("/remittances/")
    assert response.status_code == 200
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""  # a browser-session cookie: it ends when the browser closes
    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining > timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_requests_within_a_minute_of_a_renewal_write_no_session(client, user, settings):
    sign_in(client, "biller", "pw-biller-1")
    _age_session(client, renewed_seconds_ago=0, expires_in=600)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/remittances/").status_code == 200
    assert not [q for q in queries if q["sql"].startswith('UPDATE "django_session"')]
    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining <= timedelta(seconds=600)


def test_an_idle_session_is_signed_out(client, user):
    sign_in(client, "biller", "pw-biller-1")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/remittances/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")
