from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/tokens/", views.ApiTokensView.as_view(), name="api_tokens"),
    path(
        "account/tokens/revoke-all/",
        views.ApiTokenRevokeAllView.as_view(),
        name="api_tokens_revoke_all",
    ),
    path(
        "account/tokens/<str:token_key>/revoke/",
        views.ApiTokenRevokeView.as_view(),
        name="api_token_revoke",
    ),
    # The admin signs in through the throttled form too: its own form would bypass the throttle.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
]
