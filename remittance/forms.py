from django import forms


class PostingExceptionResolveForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="What was done by hand (posted manually, asked the payer to resend, ...).",
    )
