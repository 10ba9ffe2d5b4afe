"""The answers to an unknown URL (``handler404``) and an unhandled error
(``handler500``): JSON under /api/, as every other API answer, and a page elsewhere. On
an error Django has already logged the traceback (logger ``django.request``: the method
and path, never the request body) before this runs."""

from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.views import defaults

# A server error can strike before, during or after the request's work was committed, so
# the answer promises nothing either way.
API_SERVER_ERROR = (
    "Server error. The request may or may not have taken effect; "
    "check the resource before retrying."
)


API_NOT_FOUND = "Not found."


def page_not_found(request, exception, template_name="404.html"):
    """A URL that names nothing (an id that is not a number, a token key with characters
    no key has): under /api/ the same JSON as a missing object."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": API_NOT_FOUND}, status=404)
    return defaults.page_not_found(request, exception, template_name)


def server_error(request, template_name="500.html"):
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": API_SERVER_ERROR}, status=500)
    # Rendered without a context: whatever failed may be needed to build one.
    return HttpResponseServerError(loader.get_template(template_name).render())
