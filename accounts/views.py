from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from . import throttle
from .forms import ApiTokenForm
from .selectors import api_tokens_for_user
from .services import api_token_create, api_token_revoke, api_tokens_revoke_all


class LoginView(auth_views.LoginView):
    """Django's sign-in, refused with HTTP 429 while this username from this address, or the
    address as a whole, is locked out after too many failures (see ``accounts.throttle``)."""

    def post(self, request, *args, **kwargs):
        if seconds := throttle.lockout_remaining(**self._attempt()):
            return self.locked_out(seconds)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        throttle.clear_pair(**self._attempt())
        return super().form_valid(form)

    def form_invalid(self, form):
        if seconds := throttle.record_failure(**self._attempt()):
            return self.locked_out(seconds)
        return super().form_invalid(form)

    def locked_out(self, seconds: int):
        """The form again, unbound (a bound one would try the password), with the wait."""
        minutes = max(1, -(-seconds // 60))
        message = ngettext(
            "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
            "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        form = self.get_form_class()(
            self.request, initial={"username": self._attempt()["username"]}
        )
        response = self.render_to_response(
            self.get_context_data(form=form, lockout=message), status=429
        )
        response["Retry-After"] = str(seconds)
        return response

    def _attempt(self) -> dict[str, str]:
        return {
            "username": self.request.POST.get("username", ""),
            "ip": throttle.client_ip(self.request),
        }


class LogoutView(auth_views.LogoutView):
    """Django's sign-out (POST only), saying so on the page it lands on."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have signed out.")
        return response


class ApiTokensView(LoginRequiredMixin, TemplateView):
    """The signed-in user's API tokens: list, make one (its secret shown in this answer
    only), revoke. Integration accounts too: this is the one page they may open."""

    template_name = "accounts/api_tokens.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tokens=api_tokens_for_user(user=self.request.user),
            form=kwargs.pop("form", None) or self._form(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self._form(data=request.POST)
        if form.is_valid():
            try:
                new = api_token_create(user=request.user, channel="page", **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # Rendered, not redirected: the secret must not be kept anywhere to show later.
                return self.render_to_response(
                    self.get_context_data(new_token=new, form=self._form())
                )
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def _form(self, data=None) -> ApiTokenForm:
        return ApiTokenForm(data, default_days=settings.API_TOKEN_TTL_DAYS)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, token_key: str):
        if api_token_revoke(user=request.user, token_key=token_key, channel="page"):
            messages.success(request, f"Token {token_key}… revoked.")
        else:
            messages.error(request, "You have no such token (already revoked or expired?).")
        return redirect("api_tokens")


class ApiTokenRevokeAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = api_tokens_revoke_all(user=request.user, actor=request.user, channel="page")
        messages.success(
            request, ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", count) % {"n": count}
        )
        return redirect("api_tokens")
