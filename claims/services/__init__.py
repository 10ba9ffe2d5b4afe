"""Writes for the submitted side of claims. Every door (API, pages, tasks, the 835
receiver) calls these."""

from .aliases import payer_alias_delete, payer_alias_save
from .booking import BookResult, identity_key, submitted_claims_book
from .common import rejections_resolve
from .linking import LinkResult, submitted_claims_link_era
from .statuses import StatusResult, Unmatched, claim_statuses_record

__all__ = [
    "BookResult",
    "LinkResult",
    "StatusResult",
    "Unmatched",
    "claim_statuses_record",
    "identity_key",
    "payer_alias_delete",
    "payer_alias_save",
    "rejections_resolve",
    "submitted_claims_book",
    "submitted_claims_link_era",
]
