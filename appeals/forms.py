from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from .choices import AppealKind, Outcome, SubmissionMethod
from .letters import template_errors
from .models import LetterTemplate

DATE = forms.DateInput(attrs={"type": "date"})
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal(0)}


class AppealStartForm(forms.Form):
    kind = forms.ChoiceField(choices=AppealKind.choices, initial=AppealKind.APPEAL)
    clerical_error = forms.BooleanField(
        required=False, label="A clerical error (a minor error or omission)"
    )
    timely_filing_proof = forms.BooleanField(
        required=False, label="I attach proof of timely filing (for a timely-filing denial)"
    )
    argument = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
        label="Your argument (it goes into the letter)",
    )


class ArgumentForm(forms.Form):
    argument = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}), required=False, max_length=20000
    )


class SubmitForm(forms.Form):
    method = forms.ChoiceField(choices=SubmissionMethod.choices)
    submitted_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Sent on")
    reference = forms.CharField(max_length=80, required=False, label="Payer's reference")


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices)
    recovered_amount = forms.DecimalField(
        **MONEY, required=False, label="Recovered (overturned in part)"
    )
    decided_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Decided on")
    note = forms.CharField(max_length=2000, required=False)


class CorrectForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices)
    recovered_amount = forms.DecimalField(**MONEY, required=False)
    reason = forms.CharField(max_length=2000, label="Why")


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=2000, label="Why")


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class LetterTemplateForm(forms.ModelForm):
    """A manager's letter template. The subject and body are checked as a letter (syntax,
    allowed tags, merge fields, a render with the sample appeal), and what is wrong is
    shown on the field, with its line."""

    class Meta:
        model = LetterTemplate
        fields = LetterTemplate.EDITABLE_FIELDS
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24, "spellcheck": "true", "class": "code"}),
        }
        help_texts = {
            "category": "Empty: any category (the general letter).",
            "payer": "Empty: any payer. A payer's own template comes first for its claims.",
            "subject": "Django template syntax, like the body.",
        }

    def clean(self):
        cleaned = super().clean()
        for field in ("subject", "body"):
            text = cleaned.get(field)
            if text is not None:
                for error in template_errors(text):
                    self.add_error(field, error)
        return cleaned
