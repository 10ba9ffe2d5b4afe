from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import ngettext

from . import throttle


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
