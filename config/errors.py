"""The answer to an unhandled error (``handler500``): JSON under /api/, a plain page
elsewhere. Django has already logged the error with its traceback (logger
``django.request``: the method and path, never the request body) before this runs."""

from django.http import HttpResponseServerError, JsonResponse
from django.template import loader

# A server error can strike before, during or after the request's work was committed, so
# the answer promises nothing either way.
API_SERVER_ERROR = (
    "Server error. The request may or may not have taken effect; "
    "check the resource before retrying."
)


def server_error(request, template_name="500.html"):
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": API_SERVER_ERROR}, status=500)
    # Rendered without a context: whatever failed may be needed to build one.
    return HttpResponseServerError(loader.get_template(template_name).render())
