"""Session renewal and response headers for signed-in users."""

import time

from django.conf import settings

RENEWED_AT = "_renewed_at"


class SessionRenewalMiddleware:
    """Keep a session alive while it is used: a request renews the idle timeout
    (``SESSION_COOKIE_AGE`` from now) when the last renewal is more than
    ``SESSION_RENEW_SECONDS`` old. Saving the session on every request would do the same
    at the cost of a database write per request; this way the timeout is exact to within
    ``SESSION_RENEW_SECONDS`` and a busy biller's pages write nothing. Goes right after
    ``SessionMiddleware``, which saves the session when it changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:
            now = int(time.time())
            if now - session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_SECONDS:
                session[RENEWED_AT] = now
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store`` (and ``Pragma: no-cache`` for old proxies) on every
    response to a signed-in user, pages and API alike: they carry patient data, which no
    browser cache, disk or shared proxy may keep. A view that set its own Cache-Control
    keeps it; static files (served by WhiteNoise before this runs) are left alone.

    Token-authenticated API requests count too: DRF sets ``request.user`` on the
    underlying request when it authenticates, before this middleware sees the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not response.has_header("Cache-Control")
            and not request.path_info.startswith(f"/{settings.STATIC_URL.lstrip('/')}")
        ):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
