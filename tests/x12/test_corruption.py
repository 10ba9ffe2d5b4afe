"""Corrupted input: parse() either succeeds (a damaged claim quarantined, a damaged
transaction failed alone) or raises X12ParseError, never anything else."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from x12.remit835 import Reader, X12ParseError, parse

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLES = {
    name: (DATA / name).read_text(encoding="latin-1")
    for name in (
        "edi835parser_emedny-sample.835",
        "oopfactory_4010-example1-gripelements.835",
        "tigershark_835-example-2.835",
        "edi835parser_blue-cross-nc-sample.835",
        "pyx12_835-mult-loops.835",
        "lfh-x12_cob-contractural-adjustment.835",
    )
}
# characters that matter to an X12 reader, plus some that should never matter
ALPHABET = "*~:^|>\n\r \t-.0123456789ESTCLPVGAIX\ufeff\x00\xe9"


def must_not_crash(data) -> None:
    try:
        result = parse(data)
    except X12ParseError as err:
        str(err)  # the message renders
        assert err.found is None or len(err.found) <= 40
    else:
        for tx in result.transactions:
            assert isinstance(tx.warnings, list)
            if tx.failed:  # a broken transaction keeps nothing but its error and segments
                assert tx.claims == [] and tx.exceptions == [] and tx.error_message
            for held in tx.exceptions:
                assert held.message and held.raw_segments


@st.composite
def corrupted(draw):
    text = SAMPLES[draw(st.sampled_from(sorted(SAMPLES)))]
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "swap", "dup"]))
        if not text:
            break
        pos = draw(st.integers(0, len(text) - 1))
        if kind == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)) :]
        elif kind == "insert":
            text = text[:pos] + draw(st.text(ALPHABET, min_size=1, max_size=8)) + text[pos:]
        elif kind == "replace":
            text = text[:pos] + draw(st.sampled_from(ALPHABET)) + text[pos + 1 :]
        elif kind == "truncate":
            text = text[:pos]
        else:
            terminator = "|" if "|" in text[:4] and "~" not in text else "~"
            segments = text.split(terminator)
            i = draw(st.integers(0, len(segments) - 1))
            j = draw(st.integers(0, len(segments) - 1))
            if kind == "swap":
                segments[i], segments[j] = segments[j], segments[i]
            else:
                segments.insert(j, segments[i])
            text = terminator.join(segments)
    return text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corrupted())
def test_corrupted_samples_parse_or_raise_x12_parse_error(text):
    must_not_crash(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(data):
    must_not_crash(data)
    must_not_crash(b"ISA*" + data)
    must_not_crash(b"ST*835*1~" + data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corrupted(), st.integers(1, 50))
def test_corrupted_samples_streamed_in_chunks_match_whole(text, chunk_size):
    def outcome(source, **kwargs):
        reader = Reader(source, **kwargs)
        try:
            return list(reader), reader.warnings
        except X12ParseError as err:
            return str(err)

    data = text.encode("latin-1", errors="replace")
    assert outcome(io.BytesIO(data), chunk_size=chunk_size) == outcome(data.decode("latin-1"))
