"""Writes for the worklist. Import from here: ``from worklist import services``."""

from .follow import worklist_follow_remittance
from .intake import (
    Context,
    assess,
    worklist_deadline_report,
    worklist_intake,
    worklist_rescore,
)
from .items import (
    AssignmentRefused,
    InvalidAssignment,
    InvalidTransition,
    follow_up_date,
    item_assign,
    item_transition,
)

__all__ = [
    "AssignmentRefused",
    "Context",
    "InvalidAssignment",
    "InvalidTransition",
    "assess",
    "follow_up_date",
    "item_assign",
    "item_transition",
    "worklist_deadline_report",
    "worklist_follow_remittance",
    "worklist_intake",
    "worklist_rescore",
]
