"""Signals higher layers (the worklist) subscribe to, so this app never imports them.

Both are sent after the database transaction that wrote the rows commits, with
``rejection_ids`` (a list of ``ClaimRejection`` ids):

- ``claim_rejected``: new rejections (277CA or 999) that keep claims from adjudication;
- ``claim_rejection_resolved``: rejections resolved by a later acceptance, an
  adjudication (an 835 for the claim) or a resubmission.

``claim_file_processed`` is sent after a claim file (837, 277CA, 999) was read and its
rows committed, with ``file_id``.
"""

from django.db import transaction
from django.dispatch import Signal

claim_rejected = Signal()
claim_rejection_resolved = Signal()
claim_file_processed = Signal()


def send_on_commit(signal: Signal, rejection_ids: list[int]) -> None:
    if not rejection_ids:
        return
    ids = list(rejection_ids)
    transaction.on_commit(lambda: signal.send(sender=None, rejection_ids=ids))
