from django import forms

from .services import MAX_EXPIRY_DAYS


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        required=False,
        help_text="What uses it, so you know which to revoke (e.g. “clearinghouse nightly”).",
    )
    expiry_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        required=False,
    )

    def __init__(self, *args, default_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expiry_days"].widget.attrs["placeholder"] = str(default_days)
        self.fields["expiry_days"].help_text = f"1 to {MAX_EXPIRY_DAYS}; {default_days} if empty."
