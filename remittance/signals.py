"""Signals other apps subscribe to, so this app never imports them.

``transaction_parsed`` is sent once per 835 transaction of a file that books, inside the
booking's database transaction (so receivers' writes commit or roll back with it), and also
on a dry run. It is not sent for a transaction skipped as already booked, nor for one that
could not be read (a posting exception). Arguments:

- ``parsed``: the ``x12.remit835.Transaction`` (its quarantined claims, in
  ``parsed.exceptions``, are not in ``parsed.claims``);
- ``booked``: a ``remittance.booking.BookedTransaction`` with the new primary keys, or
  ``None`` on a dry run;
- ``summary``: the file's ``remittance.summary.Summary``; receivers add their counts;
- ``context``: a dict that lives for one file, for receivers to cache lookups in.
"""

from django.dispatch import Signal

transaction_parsed = Signal()

# Sent inside the booking's database transaction once a remittance is processed, with
# ``remittance_id``. Receivers that start background work should do so on commit.
remittance_booked = Signal()

# Sent by the worklist's follow-up step of a booked remittance, after earlier items took
# its payments and reversals, with ``remittance_id``. Receivers run inside the step: an
# error fails the step, which is recorded and run again by the sweep, so their work must
# be idempotent.
remittance_followed = Signal()
