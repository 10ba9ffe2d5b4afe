"""The booked item and the personas of the worklist API tests, for every access test."""

from tests.worklist.test_api import as_, client_for, item, people, team_a, team_b  # noqa: F401
