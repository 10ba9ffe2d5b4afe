"""Signals higher layers (appeals) subscribe to, so the worklist never imports them.

``item_resubmitted`` is sent inside the transaction that marks an item corrected and
resubmitted, with ``item``, ``actor``, ``on`` (the date sent) and ``reference`` (the new
claim's reference): receivers' writes commit or roll back with the change.
"""

from django.dispatch import Signal

item_resubmitted = Signal()
