"""Signals other apps subscribe to, so this app never imports them.

``transaction_parsed`` is sent once per 835 transaction of a file, inside the booking's
database transaction (so receivers' writes commit or roll back with it), and also on a
dry run. Arguments:

- ``parsed``: the ``remittance.parser.Transaction``;
- ``booked``: a ``remittance.booking.BookedTransaction`` with the new primary keys, or
  ``None`` when nothing is written (dry run, or a transaction already booked);
- ``summary``: the file's ``remittance.summary.Summary``; receivers add their counts;
- ``context``: a dict that lives for one file, for receivers to cache lookups in.
"""

from django.dispatch import Signal

transaction_parsed = Signal()

# Sent inside the booking's database transaction once a remittance is processed, with
# ``remittance_id``. Receivers that start background work should do so on commit.
remittance_booked = Signal()
