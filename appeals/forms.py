from __future__ import annotations

from django import forms

from .letters import template_errors
from .models import LetterTemplate


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
