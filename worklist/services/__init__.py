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
    item_approve_write_off,
    item_assign,
    item_change_status,
    item_mark_resubmitted,
    item_next,
    item_note,
    item_reject_write_off,
    item_resolve,
    item_set_follow_up,
    item_transition,
    items_bulk_update,
    worklist_follow_up_sweep,
)
from .rejections import worklist_rejection_intake, worklist_rejections_resolved
from .reroute import items_reroute, items_rerouted_by

__all__ = [
    "AssignmentRefused",
    "Context",
    "InvalidAssignment",
    "InvalidTransition",
    "assess",
    "follow_up_date",
    "item_approve_write_off",
    "item_assign",
    "item_change_status",
    "item_mark_resubmitted",
    "item_next",
    "item_note",
    "item_reject_write_off",
    "item_resolve",
    "item_set_follow_up",
    "item_transition",
    "items_bulk_update",
    "items_reroute",
    "items_rerouted_by",
    "worklist_follow_up_sweep",
    "worklist_deadline_report",
    "worklist_follow_remittance",
    "worklist_intake",
    "worklist_rejection_intake",
    "worklist_rejections_resolved",
    "worklist_rescore",
]
