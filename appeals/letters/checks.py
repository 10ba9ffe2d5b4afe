"""What a manager's template is checked for before it is saved: syntax (with the line),
tags and markup a letter may not use, variables that are not merge fields, and a render
with the sample appeal."""

from __future__ import annotations

import re

from django.template import Context, TemplateSyntaxError
from django.template.base import FilterExpression, Lexer, Node, TokenType, Variable
from django.template.smartif import Literal

from .fields import GROUPS, sample_context
from .render import CHECKING_ENGINE, describe

# What a letter may use: logic and formatting, nothing that reads files, other templates
# or the whole context.
ALLOWED_TAGS = frozenset({
    "if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith",
    "comment", "endcomment", "filter", "endfilter", "firstof", "now", "spaceless",
    "endspaceless", "cycle", "resetcycle", "ifchanged", "endifchanged", "autoescape",
    "endautoescape", "verbatim", "endverbatim", "widthratio", "regroup", "templatetag",
})  # fmt: skip
# Markup a printed, mailed letter has no use for, and that could load or run something
# when the letter is shown in the app.
FORBIDDEN_MARKUP = re.compile(
    r"<\s*(script|style|iframe|object|embed|img|link|meta|form|base)\b|\son\w+\s*=", re.I
)


def validate_template(body: str, subject: str = "") -> list[str]:
    """What is wrong with a template, in words a manager can act on (empty: nothing):
    syntax errors with their line, tags and markup a letter may not use, variables that
    are not merge fields, and a failure to render with the sample appeal. Never raises."""
    errors = [f"Subject: {e}" for e in template_errors(subject)]
    return errors + [f"Body: {e}" for e in template_errors(body)]


def template_errors(text: str) -> list[str]:
    """The checks of one template text (a body or a subject). Never raises."""
    try:
        return _check(text or "")
    except Exception as exc:  # the checks themselves must never break the form
        return [f"could not be checked ({describe(exc)})."]


def _check(text: str) -> list[str]:
    errors = []
    for token in Lexer(text).tokenize():
        if token.token_type == TokenType.BLOCK:
            tag = (token.split_contents() or [""])[0]
            if tag not in ALLOWED_TAGS:
                errors.append(f"line {token.lineno}: the {{% {tag} %}} tag is not allowed.")
    if match := FORBIDDEN_MARKUP.search(text):
        line = text.count("\n", 0, match.start()) + 1
        what = match.group(1) and f"<{match.group(1).lower()}>" or "event handler"
        errors.append(f"line {line}: {what} markup is not allowed in a letter.")
    if errors:
        return errors
    try:
        template = CHECKING_ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        line = getattr(exc, "template_debug", {}).get("line")
        return [f"line {line}: {exc}" if line else str(exc)]
    errors += _unknown_fields(template)
    if not errors:
        try:
            CHECKING_ENGINE.from_string(text).render(Context(sample_context()))
        except Exception as exc:
            errors.append(f"rendering with the sample appeal failed: {describe(exc)}")
    return errors


def _unknown_fields(template) -> list[str]:
    nodes = template.nodelist.get_nodes_by_type(Node)
    bound = {"forloop", "block"}
    for node in nodes:
        bound.update(getattr(node, "loopvars", ()) or ())
        bound.update(getattr(node, "extra_context", {}) or {})
        for attr in ("asvar", "var_name", "variable_name"):
            if isinstance(getattr(node, attr, None), str):
                bound.add(getattr(node, attr))
    unknown: dict[str, int] = {}
    for node in nodes:
        for variable in _variables(node):
            name = _unknown(variable.lookups, bound)
            if name and name not in unknown:
                unknown[name] = node.token.lineno
    return [
        f"line {line}: {{{{ {name} }}}} is not a merge field." for name, line in unknown.items()
    ]


def _unknown(lookups, bound: set[str]) -> str:
    head = lookups[0]
    if head in bound:
        return ""
    if head not in GROUPS:
        return head
    keys = GROUPS[head]
    if keys and len(lookups) > 1 and lookups[1] not in keys and not lookups[1].isdigit():
        return f"{head}.{lookups[1]}"
    return ""


def _variables(node):
    """Every variable a node reads, in order (its own expressions, not its children's)."""
    for name, value in vars(node).items():
        if name not in ("token", "origin"):
            yield from _read(value)


def _read(value):
    if isinstance(value, Variable):
        if value.lookups:
            yield value
    elif isinstance(value, FilterExpression):
        yield from _read(value.var)
        for _, args in value.filters:
            for _, arg in args:
                yield from _read(arg)
    elif isinstance(value, Literal):
        yield from _read(value.value)
    elif hasattr(value, "first") and hasattr(value, "second"):  # an {% if %} operator
        yield from _read(value.first)
        yield from _read(value.second)
    elif isinstance(value, list | tuple) and not hasattr(value, "render"):  # not a NodeList
        for part in value:
            yield from _read(part)
    elif isinstance(value, dict):
        for part in value.values():
            yield from _read(part)
