"""Fixtures for every worklist test module: ``book`` (write and book a small 835), and the
item pages' ``item`` (one booked denial's item), ``people`` and ``as_`` (a signed-in client)."""

from .test_pages import as_, item, people  # noqa: F401
from .test_services import book  # noqa: F401
