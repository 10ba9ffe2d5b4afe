"""Appeal letters: the merge fields an appeal offers (``fields``), one appeal's values for
them (``context``), its letter rendered from its template (``render``), and the checks a
template passes before a manager may save it (``checks``). PDFs: ``appeals.pdf``.

A template is data a manager edits, so it gets builtins only and no loaders, a short list
of allowed tags (no ``{% load %}``, ``{% include %}``, ``{% extends %}``, ``{% debug %}``)
and only the merge fields. A template that still fails when rendered gives a clear message
in place of the letter, never a server error."""

from .checks import template_errors, validate_template
from .context import TimelyFilingProof, enclosures, letter_context, money, timely_filing
from .fields import DEFAULT_BODY, DEFAULT_SUBJECT, MERGE_FIELDS, sample_context
from .render import (
    ENGINE,
    current_html,
    render_body,
    render_html,
    render_subject,
    render_text,
)

__all__ = [
    "DEFAULT_BODY",
    "DEFAULT_SUBJECT",
    "ENGINE",
    "MERGE_FIELDS",
    "TimelyFilingProof",
    "current_html",
    "enclosures",
    "letter_context",
    "money",
    "render_body",
    "render_html",
    "render_subject",
    "render_text",
    "sample_context",
    "template_errors",
    "timely_filing",
    "validate_template",
]
