"""The ``book`` fixture (write and book a small 835) for every worklist test module."""

from .test_services import book  # noqa: F401
