"""x12.build.positional: fast constructors that give the same objects as the dataclasses."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from x12.build import positional
from x12.claim837.model import Claim837, Line837, Person837


def test_builds_an_instance_equal_to_the_dataclass():
    args = (2, "HC", "99214", ("25",), "", Decimal("80.00"), "UN", Decimal("1"), "11", ("1",))
    args += (date(2026, 9, 1), date(2026, 9, 1), "L1", "", 7)
    built = positional(Line837)(*args)
    assert type(built) is Line837
    assert built == Line837(*args)
    assert hash(built) == hash(Line837(*args))
    assert repr(built) == repr(Line837(*args))
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.number = 3  # type: ignore[misc]


def test_takes_every_field_in_order():
    values = [f"v{i}" for i in range(len(dataclasses.fields(Claim837)))]
    built = positional(Claim837)(*values)
    assert [getattr(built, f.name) for f in dataclasses.fields(Claim837)] == values
    assert "v0" not in repr(positional(Person837)("v0", "", "", None, "", "18"))


def test_rejects_other_classes():
    with pytest.raises(TypeError):
        positional(dict)

    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int = 0

    with pytest.raises(TypeError):
        positional(NoSlots)


def test_line_draft_indexes_match_line837_fields():
    from x12.claim837 import drafts

    names = [f.name for f in dataclasses.fields(Line837)]
    indexes = {n[2:].lower(): v for n, v in vars(drafts).items() if n.startswith("L_")}
    assert indexes == {name: i for i, name in enumerate(names)}
    assert drafts.freeze_line(drafts.new_line(3, 9)) == Line837(number=3, segment_index=9)
