"""Which booked payer a submitted payer id names: a manager's alias first, else the payer
booked from 835s under the same identifier."""

from __future__ import annotations

from collections.abc import Iterable

from remittance.models import Payer

from .models import PayerAlias


def normalize(identifier: str) -> str:
    return (identifier or "").strip().upper()


def payer_ids_for(identifiers: Iterable[str]) -> dict[str, int]:
    """Submitted payer id (normalized) -> ``Payer`` id, for those that name one."""
    wanted = {normalize(i) for i in identifiers} - {""}
    if not wanted:
        return {}
    found = dict(
        PayerAlias.objects.filter(identifier__in=wanted).values_list("identifier", "payer_id")
    )
    keys = {f"id:{i}"[:120]: i for i in wanted - set(found)}
    for key, pk in Payer.objects.filter(key__in=keys).values_list("key", "pk"):
        found[keys[key]] = pk
    return found


def identifiers_of(payer_id: int) -> set[str]:
    """Every submitted payer id that names this payer: its own and its aliases."""
    payer = Payer.objects.filter(pk=payer_id).values("identifier", "key").first() or {}
    names = {normalize(payer.get("identifier", ""))}
    key = payer.get("key", "")
    if key.startswith("id:"):
        names.add(normalize(key[3:]))
    names.update(PayerAlias.objects.filter(payer_id=payer_id).values_list("identifier", flat=True))
    return names - {""}
