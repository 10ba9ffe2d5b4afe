"""The one exception the 835 parser raises for bad input."""

from __future__ import annotations

FOUND_MAX = 40


class X12ParseError(ValueError):
    """Input that cannot be read as an X12 835.

    Attributes:
        segment_number: 1-based position of the segment in the FILE (every segment counts,
            ISA included); ``None`` when unknown (e.g. an empty file).
        segment_id: the segment id, e.g. ``"CLP"``, or ``None``.
        element: 1-based element position (3 for CLP03), or ``None``.
        expected: short text of what was expected, or ``None``.
        found: the offending text (at most 40 characters), or ``None``.

    ``str(err)`` reads like
    ``segment 14 (CLP), element 03: expected a decimal amount, found '12x.5'``.
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        segment_number: int | None = None,
        segment_id: str | None = None,
        element: int | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        if found is not None:
            found = str(found)[:FOUND_MAX]
        if segment_id is not None:
            segment_id = str(segment_id)[:FOUND_MAX]
        self.message = message
        self.segment_number = segment_number
        self.segment_id = segment_id
        self.element = element
        self.expected = expected
        self.found = found
        super().__init__(self._render())

    def _render(self) -> str:
        where = ""
        if self.segment_number is not None:
            where = f"segment {self.segment_number}"
            if self.segment_id:
                where += f" ({self.segment_id})"
        elif self.segment_id:
            where = self.segment_id
        if self.element is not None:
            where += f"{', ' if where else ''}element {self.element:02d}"
        body = self.message or ""
        if self.expected is not None:
            body += f"{': ' if body else ''}expected {self.expected}"
        if self.found is not None:
            body += f"{', ' if body else ''}found {self.found!r}"
        if not body:
            body = "invalid X12"
        return f"{where}: {body}" if where else body

    def __reduce__(self):  # keep attributes when pickled (e.g. by a task queue)
        return (
            _rebuild,
            (
                self.message,
                self.segment_number,
                self.segment_id,
                self.element,
                self.expected,
                self.found,
            ),
        )


def _rebuild(message, segment_number, segment_id, element, expected, found) -> X12ParseError:
    return X12ParseError(
        message,
        segment_number=segment_number,
        segment_id=segment_id,
        element=element,
        expected=expected,
        found=found,
    )
