from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

api_v1 = [
    path("", include("remittance.api.urls")),
    path("", include("claims.api.urls")),
    path("", include("denials.api.urls")),
    path("", include("worklist.api.urls")),
    path("", include("appeals.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("analytics.api.urls")),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="worklist:my_queue"), name="home"),
    path("", include("accounts.urls")),
    path("remittances/", include("remittance.urls")),
    path("claims/", include("claims.urls")),
    path("denials/", include("denials.urls")),
    path("worklist/", include("worklist.urls")),
    path("appeals/", include("appeals.urls")),
    path("audit/", include("audit.urls")),
    path("analytics/", include("analytics.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from a URL, not inline (CSP).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]

handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
