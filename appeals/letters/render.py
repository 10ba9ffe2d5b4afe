"""Rendering a letter: in an engine of its own (builtins only, no loaders), and, when a
template fails anyway, a clear message in place of the letter, never a server error."""

from __future__ import annotations

import logging

from django.template import Context, Engine
from django.utils.html import escape

from .context import letter_context
from .fields import DEFAULT_BODY, DEFAULT_SUBJECT

logger = logging.getLogger(__name__)

# Templates are data managers edit: builtins only, no loaders (no {% include %} of files).
ENGINE = Engine(debug=False, loaders=[], string_if_invalid="", autoescape=True)
# The same, reporting the line of a syntax error (for validation only).
CHECKING_ENGINE = Engine(debug=True, loaders=[], string_if_invalid="", autoescape=True)


def current_html(appeal) -> str:
    """The letter as the payer has it once sent (frozen), or as it stands for a draft."""
    return appeal.letter_html or render_html(appeal)


def render_html(appeal) -> str:
    """The letter rendered now from the appeal's template (or the default letter)."""
    template = appeal.template
    return render_body(template.body if template else DEFAULT_BODY, letter_context(appeal))


def render_subject(appeal) -> str:
    template = appeal.template
    return render_text(template.subject if template else DEFAULT_SUBJECT, letter_context(appeal))


def render_body(body: str, context: dict) -> str:
    """A body rendered, or, when it cannot be, a clear message in its place."""
    try:
        return ENGINE.from_string(body).render(Context(context))
    except Exception as exc:  # a manager's template must never break a page
        logger.warning("letter template failed to render: %s", type(exc).__name__)
        return (
            '<p class="letter-error">This letter could not be produced from its template '
            f"({escape(describe(exc))}). A manager can correct the template under "
            "Letter templates.</p>"
        )


def render_text(text: str, context: dict) -> str:
    try:
        return ENGINE.from_string(text).render(Context(context, autoescape=False)).strip()
    except Exception as exc:
        return f"(subject could not be produced: {describe(exc)})"


def describe(exc: Exception) -> str:
    return str(exc) or type(exc).__name__
