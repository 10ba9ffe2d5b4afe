"""Evidence files without the database: what a file is, told by its first bytes (never by
its name or the browser's word), and the names it is shown and downloaded under."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from .choices import EvidenceType

# How many bytes ``sniff`` needs: the longest signature below.
HEAD_BYTES = 8

SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", EvidenceType.PDF),
    (b"\x89PNG\r\n\x1a\n", EvidenceType.PNG),
    (b"\xff\xd8\xff", EvidenceType.JPEG),
    (b"II*\x00", EvidenceType.TIFF),  # little-endian
    (b"MM\x00*", EvidenceType.TIFF),  # big-endian
]

EXTENSIONS = {
    EvidenceType.PDF: ".pdf",
    EvidenceType.PNG: ".png",
    EvidenceType.JPEG: ".jpg",
    EvidenceType.TIFF: ".tif",
}

ACCEPTED = "PDF, PNG, JPEG or TIFF"
NAME_LENGTH = 200


def sniff(head: bytes) -> str | None:
    """The content type these first bytes start (one of ``EvidenceType``), or None for
    anything else: the name a file came with is not evidence of what it is."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return str(content_type)
    return None


def display_name(uploaded: str) -> str:
    """The uploaded name as kept on the row: the last part of any path a browser sent,
    without control characters, at most ``NAME_LENGTH`` characters."""
    base = PureWindowsPath(PurePosixPath(uploaded or "").name).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return (base or "evidence")[:NAME_LENGTH]


def download_name(name: str, content_type: str) -> str:
    """A filename safe in a Content-Disposition header and a ZIP: ASCII letters, digits,
    dot, dash and underscore, with the extension of what the file is (a PNG uploaded as
    "scan.pdf" downloads as "scan.png")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = PurePosixPath(ascii_name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:100] or "evidence"
    return stem + EXTENSIONS.get(content_type, "")
