"""Response headers for signed-in users."""

from django.conf import settings


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
