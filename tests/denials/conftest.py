"""The June data set of the analytics tests, with the extra claims for the claim-side
cuts, for the denial list's filters."""

from tests.analytics.conftest import june, june_cuts  # noqa: F401
