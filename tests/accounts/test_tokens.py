"""API tokens: hashed, expiring, revoked by a password change or deactivation, a 401 when
bad; the account page and the token API (own tokens only), each audited."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import TokenLabel
from accounts.services import api_token_create
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PROBE = "/api/v1/remittances/"  # any token-authenticated endpoint a biller may read
TOKENS_API = "/api/v1/tokens/"
PAGE = "/account/tokens/"


@pytest.fixture
def integration(django_user_model):
    user = django_user_model.objects.create_user(username="integration", password="pw-int-1")
    user.groups.add(Group.objects.get_or_create(name="integration")[0])
    return user


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def assert_refused(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


# --- Authentication --------------------------------------------------------------------


def test_valid_token_is_accepted(user):
    new = api_token_create(user=user, name="nightly")
    assert bearer(new.secret).get(PROBE).status_code == 200


def test_only_a_hash_is_stored(user):
    new = api_token_create(user=user)
    stored = AuthToken.objects.get()
    assert stored.digest != new.secret and new.secret not in stored.digest
    assert new.secret.startswith(stored.token_key)
    assert len(new.secret) > len(stored.token_key)


def test_token_expires_after_the_configured_ttl(user, settings):
    assert settings.API_TOKEN_TTL_DAYS == 90
    new = api_token_create(user=user)
    assert abs(new.expiry - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    shorter = api_token_create(user=user, expiry_days=7)
    assert abs(shorter.expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)


@pytest.mark.parametrize("header", ["Token nonsense", "Token ", "Token a b", "Token " + "0" * 64])
def test_bad_token_is_401(user, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert_refused(client.get(PROBE))


def test_undecodable_token_is_401_not_500(user):
    response = APIClient().get(PROBE, HTTP_AUTHORIZATION="Token caf\xe9")
    assert_refused(response)


def test_no_credentials_is_401():
    assert_refused(APIClient().get(PROBE))


def test_expired_token_is_401(user):
    new = api_token_create(user=user, expiry_days=1)
    AuthToken.objects.filter(pk=new.token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert_refused(bearer(new.secret).get(PROBE))
    assert not AuthToken.objects.exists()  # knox deletes it when it is presented


def test_password_change_revokes_every_token(user):
    first, second = api_token_create(user=user), api_token_create(user=user)
    user.set_password("a-new-pass-2026")
    user.save()
    assert not AuthToken.objects.filter(user=user).exists()
    assert_refused(bearer(first.secret).get(PROBE))
    assert_refused(bearer(second.secret).get(PROBE))
    assert AuditEvent.objects.filter(detail__endswith="revoked: password changed").count() == 2


def test_password_change_page_revokes_tokens(client, user):
    new = api_token_create(user=user)
    client.force_login(user)
    response = client.post(
        "/password/change/",
        {
            "old_password": "pw-biller-1",
            "new_password1": "a-new-pass-2026",
            "new_password2": "a-new-pass-2026",
        },
    )
    assert response.status_code == 302
    assert_refused(bearer(new.secret).get(PROBE))


def test_deactivation_revokes_tokens(user):
    new = api_token_create(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not AuthToken.objects.exists()
    assert_refused(bearer(new.secret).get(PROBE))


def test_inactive_users_token_is_refused_even_if_not_deleted(user, django_user_model):
    new = api_token_create(user=user)
    django_user_model.objects.filter(pk=user.pk).update(is_active=False)  # no signals
    assert AuthToken.objects.exists()
    assert_refused(bearer(new.secret).get(PROBE))


def test_other_saves_keep_tokens(client, user):
    new = api_token_create(user=user)
    user.first_name = "Pat"
    user.save()
    client.login(username="biller", password="pw-biller-1")  # updates last_login
    user.set_password("pw-biller-1")  # same password, fresh hash (as a hasher upgrade does)
    user.save()
    assert bearer(new.secret).get(PROBE).status_code == 200


def test_use_is_recorded(user):
    new = api_token_create(user=user)
    assert bearer(new.secret).get(PROBE).status_code == 200
    assert TokenLabel.objects.get().last_used is not None


# --- The token API -----------------------------------------------------------------------


def test_integration_rotates_its_own_token(integration):
    old = api_token_create(user=integration, name="old")
    client = bearer(old.secret)
    made = client.post(TOKENS_API, {"name": "new", "expiry_days": 30}, format="json")
    assert made.status_code == 201
    body = made.json()
    assert set(body) == {"token_key", "name", "created", "expiry", "last_used", "token"}
    assert body["name"] == "new" and body["token"].startswith(body["token_key"])

    listed = bearer(body["token"]).get(TOKENS_API).json()
    assert {t["name"] for t in listed} == {"old", "new"}
    assert all("token" not in t and "digest" not in t for t in listed)

    gone = bearer(body["token"]).delete(f"{TOKENS_API}{old.token.token_key}/")
    assert gone.status_code == 204
    assert_refused(client.get(TOKENS_API))
    assert bearer(body["token"]).get(TOKENS_API).status_code == 200
    details = list(AuditEvent.objects.values_list("detail", flat=True))
    assert not any(body["token"] in d or old.secret in d for d in details)
    assert AuditEvent.objects.filter(channel="api").count() == 2


def test_api_expiry_is_bounded(user, api_client):
    for days in (0, 366):
        assert api_client.post(TOKENS_API, {"expiry_days": days}, format="json").status_code == 400
    assert not AuthToken.objects.exists()


def test_cannot_revoke_or_see_anothers_token(user, integration, api_client):
    theirs = api_token_create(user=integration)
    assert api_client.get(TOKENS_API).json() == []
    assert api_client.delete(f"{TOKENS_API}{theirs.token.token_key}/").status_code == 404
    assert AuthToken.objects.filter(user=integration).exists()


# --- The page ------------------------------------------------------------------------------


def test_page_makes_a_token_and_shows_it_once(client, user):
    client.force_login(user)
    response = client.post(PAGE, {"name": "clearinghouse", "expiry_days": "10"})
    assert response.status_code == 200
    secret = response.context["new_token"].secret
    assert secret.encode() in response.content
    assert response["Cache-Control"] == "no-store"
    assert b"shown this once" in response.content
    assert bearer(secret).get(PROBE).status_code == 200

    again = client.get(PAGE)
    assert secret.encode() not in again.content
    assert b"clearinghouse" in again.content
    assert AuthToken.objects.get().token_key.encode() in again.content
    event = AuditEvent.objects.get(action="create")
    assert event.channel == "page" and secret not in event.detail


def test_page_refuses_a_bad_expiry(client, user):
    client.force_login(user)
    assert client.post(PAGE, {"expiry_days": "400"}).status_code == 400
    assert not AuthToken.objects.exists()


def test_integration_account_may_open_the_page(client, integration):
    client.force_login(integration)
    assert client.get(PAGE).status_code == 200
    assert client.get("/worklist/").status_code == 403  # still no other page


def test_page_needs_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_page_revokes_one_and_all(client, user, integration):
    client.force_login(user)
    one, two, three = (api_token_create(user=user) for _ in range(3))
    theirs = api_token_create(user=integration)
    response = client.post(f"/account/tokens/{one.token.token_key}/revoke/")
    assert response.status_code == 302
    assert_refused(bearer(one.secret).get(PROBE))
    assert bearer(two.secret).get(PROBE).status_code == 200

    client.post(f"/account/tokens/{theirs.token.token_key}/revoke/")  # not theirs to revoke
    assert AuthToken.objects.filter(user=integration).count() == 1

    client.post("/account/tokens/revoke-all/")
    assert not AuthToken.objects.filter(user=user).exists()
    assert AuthToken.objects.filter(user=integration).count() == 1
    assert AuditEvent.objects.filter(channel="page", detail__endswith=" revoked").count() == 3


def test_page_has_no_inline_script_or_style(client, user):
    client.force_login(user)
    api_token_create(user=user)
    content = client.post(PAGE, {"name": "x"}).content.decode()
    assert "style=" not in content
    assert "<script>" not in content and "onclick" not in content
    assert 'src="/static/js/tokens.js"' in content
