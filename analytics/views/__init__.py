from .dashboards import OverviewView, PayerView, RootCauseView
from .operations import DeadlinesView, ProductivityView
from .references import ReferenceCreateView, ReferenceListView, ReferenceUpdateView
from .scorecards import ScorecardView

__all__ = [
    "DeadlinesView",
    "OverviewView",
    "PayerView",
    "ProductivityView",
    "ReferenceCreateView",
    "ReferenceListView",
    "ReferenceUpdateView",
    "RootCauseView",
    "ScorecardView",
]
