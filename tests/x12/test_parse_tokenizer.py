"""Delimiters, line endings, wrapping, BOM, bare ST..SE, not-X12 input, streaming sources."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

from x12.remit835 import Delimiters, Reader, X12ParseError, parse, read_delimiters

DATA = Path(__file__).resolve().parent.parent / "data"

ISA = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*240115*1200*^*00501*000000001*0*P*:"
)
BODY = [
    "GS*HP*SENDER*RECEIVER*20240115*1200*7*X*005010X221A1",
    "ST*835*0001",
    "BPR*I*100.00*C*ACH*CCP*01*111*DA*33*1234567890**01*111*DA*22*20240116",
    "TRN*1*TRACE1*1512345678",
    "DTM*405*20240115",
    "N1*PR*PAYER ONE",
    "N1*PE*CLINIC*XX*1234567893",
    "LX*1",
    "CLP*PCN1*1*150.00*100.00*20.00*12*CCN1*11*1",
    "NM1*QC*1*DOE*JANE****MI*M123",
    "SVC*HC:99213:25*150.00*100.00**1",
    "DTM*472*20240110",
    "CAS*CO*45*30.00",
    "CAS*PR*2*20.00",
    "SE*14*0001",
    "GE*1*7",
    "IEA*1*000000001",
]
SEGMENTS = [ISA, *BODY]


def render(segments=SEGMENTS, terminator="~", suffix=""):
    return "".join(segment + terminator + suffix for segment in segments)


def summary(result):
    """Everything that matters about a parse, comparable across layouts."""
    return (
        result.transactions,
        result.warnings,
        (result.delimiters.element, result.delimiters.component, result.delimiters.segment),
    )


STANDARD = render()


def test_standard_file():
    result = parse(STANDARD)
    assert result.delimiters == Delimiters("*", ":", "^", "~")
    assert result.warnings == []
    (tx,) = result.transactions
    assert tx.warnings == []
    assert tx.claims[0].service_lines[0].modifiers == ["25"]
    assert tx.envelope.gs_control_number == "7"
    assert tx.envelope.isa_sender_id == "SENDER"


def test_read_delimiters():
    assert read_delimiters(STANDARD[:200]) == Delimiters("*", ":", "^", "~")
    assert read_delimiters("\ufeff  " + STANDARD[:120]) == Delimiters("*", ":", "^", "~")
    four = ISA.replace("^*00501", "U*00401")
    assert read_delimiters(four + "~GS") == Delimiters("*", ":", None, "~")
    assert read_delimiters(ISA + "\nGS*HP") == Delimiters("*", ":", "^", "\n")
    assert read_delimiters(ISA + "\r\nGS*HP") == Delimiters("*", ":", "^", "\n")
    assert read_delimiters(ISA + "\n~GS*HP") == Delimiters("*", ":", "^", "~")
    assert read_delimiters("ST*835*1~BPR") == Delimiters("*", ":", None, "~")


@pytest.mark.parametrize(
    "head",
    ["", "   ", "\ufeff", "hello world", "<?xml version='1.0'?>", "ISAAC", "ISA", "ISA*00*"],
)
def test_read_delimiters_rejects(head):
    with pytest.raises(X12ParseError):
        read_delimiters(head)


def test_repetition_separator_only_from_00501_and_not_alphanumeric():
    four = ISA.replace("^*00501", "U*00401")
    assert parse(render([four, *BODY])).delimiters.repetition is None
    masked = ISA.replace("^*00501", "U*99999")  # OopFactory masks ISA12 with 9s
    assert parse(render([masked, *BODY])).delimiters.repetition is None
    assert parse(STANDARD).delimiters.repetition == "^"


def test_unpadded_isa_fields():
    short = "ISA*00**00**ZZ*SENDER*ZZ*RECEIVER*240115*1200*^*00501*1*0*P*:"
    result = parse(render([short, *BODY]).replace("IEA*1*000000001", "IEA*1*1"))
    assert result.delimiters == Delimiters("*", ":", "^", "~")
    assert result.warnings == []
    assert result.transactions[0].envelope.isa_control_number == "1"


def test_isa_with_wrong_element_count():
    with pytest.raises(X12ParseError) as info:
        parse(render([ISA + "*X", *BODY]))
    assert (info.value.segment_number, info.value.segment_id) == (1, "ISA")


@pytest.mark.parametrize("width", [80, 64, 50, 7])
def test_file_wrapped_at_fixed_width_even_through_the_isa(width):
    text = STANDARD
    wrapped = "\r\n".join(text[i : i + width] for i in range(0, len(text), width))
    assert summary(parse(wrapped)) == summary(parse(STANDARD))


def test_crlf_after_each_terminator_and_indentation():
    indented = "".join(("  " * min(i, 3)) + segment + "~\r\n" for i, segment in enumerate(SEGMENTS))
    assert summary(parse(indented)) == summary(parse(STANDARD))
    tabs = "".join("\t" + segment + "~\n" for segment in SEGMENTS)
    assert summary(parse(tabs)) == summary(parse(STANDARD))


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_newline_as_segment_terminator(newline):
    text = newline.join(SEGMENTS) + newline
    result = parse(text)
    assert result.delimiters.segment == "\n"
    assert result.transactions == parse(STANDARD).transactions
    assert result.warnings == []


def test_newline_terminator_with_blank_lines_indentation_and_no_final_newline():
    text = "\n\n".join("   " + s + "  " for s in SEGMENTS)
    result = parse(text)
    assert result.delimiters.segment == "\n"
    assert result.transactions == parse(STANDARD).transactions


def test_newline_then_tilde_like_tigershark():
    text = "\n~".join(SEGMENTS) + "\n"
    result = parse(text)
    assert result.delimiters.segment == "~"
    assert result.transactions == parse(STANDARD).transactions


def test_other_delimiters():
    text = render([s.replace("*", "|").replace(":", "^") for s in SEGMENTS], terminator="'")
    text = text.replace("|^|00501|", "|{|00501|")
    result = parse(text)
    assert result.delimiters == Delimiters("|", "^", "{", "'")
    assert result.transactions[0].claims[0].service_lines[0].modifiers == ["25"]


def test_utf8_bom_and_leading_whitespace():
    expected = parse(STANDARD).transactions
    assert parse(b"\xef\xbb\xbf" + STANDARD.encode()).transactions == expected
    assert parse("\ufeff" + STANDARD).transactions == expected
    assert parse(" \r\n\t" + STANDARD).transactions == expected
    assert parse(b"\xef\xbb\xbf\r\n  " + STANDARD.encode()).transactions == expected


def test_bytes_are_latin1_and_never_fail_to_decode():
    text = STANDARD.replace("PAYER ONE", "PAYER \xe9\xff")
    result = parse(text.encode("latin-1"))
    assert result.transactions[0].payer.name == "PAYER \xe9\xff"
    utf8 = parse(STANDARD.replace("PAYER ONE", "CAFÉ").encode("utf-8"))
    assert utf8.transactions[0].payer.name == "CAFÃ\x89"  # latin-1 view of the UTF-8 bytes


@pytest.mark.parametrize(
    "text",
    [
        "hello, this is not an edi file",
        "<html><body>835</body></html>",
        "%PDF-1.4\n",
        "STATEMENT OF ACCOUNT",
        "GS*HP*SENDER*RECEIVER~",
        "I",
        "{}",
    ],
)
def test_not_x12(text):
    with pytest.raises(X12ParseError) as info:
        parse(text)
    err = info.value
    assert err.segment_number == 1
    assert err.expected == "an ISA or ST segment at the start"
    assert str(err).startswith("segment 1: not an X12 file: expected an ISA or ST segment")
    assert err.found == text.split("\n")[0][:40]


@pytest.mark.parametrize("data", ["", b"", "   \r\n ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_file(data):
    with pytest.raises(X12ParseError) as info:
        parse(data)
    assert str(info.value) == "empty file"
    assert info.value.segment_number is None


def test_truncated_isa():
    with pytest.raises(X12ParseError) as info:
        parse(STANDARD[:60])
    assert (info.value.segment_number, info.value.segment_id) == (1, "ISA")


# -- bare ST..SE -------------------------------------------------------------------------------

BARE = BODY[1:-2]


def test_bare_st_inferred_delimiters_and_warning():
    result = parse(render(BARE))
    assert result.warnings == ["no ISA/GS envelope: delimiters inferred"]
    assert result.delimiters == Delimiters("*", ":", None, "~")
    (tx,) = result.transactions
    assert tx.envelope.isa_control_number == "" and tx.envelope.gs_control_number == ""
    assert tx.claims == parse(STANDARD).transactions[0].claims


def test_bare_st_newline_terminator_and_component_from_svc01():
    segments = [s.replace("HC:99213:25", "HC>99213>25") for s in BARE]
    result = parse("\n".join(segments))
    assert result.delimiters.segment == "\n"
    assert result.delimiters.component == ">"
    assert result.transactions[0].claims[0].service_lines[0].procedure_code == "99213"
    assert result.transactions[0].claims[0].service_lines[0].modifiers == ["25"]


def test_bare_st_with_pipe_separator():
    segments = [s.replace("*", "|") for s in BARE]
    result = parse(render(segments))
    assert result.delimiters.element == "|"
    assert result.transactions[0].claims[0].service_lines[0].modifiers == ["25"]


def test_bare_st_component_defaults_to_colon_without_svc():
    segments = [s for s in BARE if not s.startswith(("SVC", "CAS", "DTM*472"))]
    segments[-1] = f"SE*{len(segments)}*0001"
    result = parse(render(segments))
    assert result.delimiters.component == ":"


# -- sources and streaming ---------------------------------------------------------------------


class CountingFile(io.BytesIO):
    """A binary file that records how much has been read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        block = super().read(size)
        self.bytes_read += len(block)
        return block


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.835")))
@pytest.mark.parametrize("chunk_size", [1, 7, 64])
def test_tiny_chunks_give_identical_results(name, chunk_size):
    data = (DATA / name).read_bytes()

    def outcome(source, **kwargs):
        reader = Reader(source, **kwargs)
        try:
            transactions = list(reader)
        except X12ParseError as err:
            return ("error", str(err), reader.warnings)
        return (transactions, reader.warnings, reader.delimiters, reader.interchanges)

    whole = outcome(data.decode("latin-1"))
    assert outcome(io.BytesIO(data), chunk_size=chunk_size) == whole
    assert outcome(data, chunk_size=chunk_size) == whole


def test_sources_path_bytes_text_file_object():
    path = DATA / "tastypackets_profee.835"
    expected = parse(path.read_text(encoding="latin-1")).transactions
    assert parse(path).transactions == expected
    assert parse(path.read_bytes()).transactions == expected
    assert parse(bytearray(path.read_bytes())).transactions == expected
    with path.open("rb") as handle:
        assert parse(handle).transactions == expected
    with path.open("r", encoding="latin-1") as handle:  # a text file object works too
        assert parse(handle).transactions == expected


def test_streaming_yields_before_reading_everything():
    data = (DATA / "tastypackets_profee-multiple.835").read_bytes()
    handle = CountingFile(data)
    reader = Reader(handle, chunk_size=4096)
    iterator = iter(reader)
    first = next(iterator)
    assert first.index == 0
    assert reader.delimiters is not None
    assert handle.bytes_read <= 3 * 4096 < len(data)
    rest = list(iterator)
    assert len(rest) == 155
    assert handle.bytes_read == len(data)


def test_reader_iterates_once_and_rejects_wrong_source_types():
    reader = Reader(STANDARD)
    assert reader.delimiters is None
    assert len(list(reader)) == 1
    with pytest.raises(RuntimeError):
        list(reader)
    with pytest.raises(TypeError):
        Reader(12345)
    with pytest.raises(ValueError):
        Reader(STANDARD, chunk_size=0)


def test_str_is_text_not_a_path():
    with pytest.raises(X12ParseError):
        parse(str(DATA / "tastypackets_profee.835"))


def test_amounts_are_decimal():
    claim = parse(STANDARD).transactions[0].claims[0]
    assert isinstance(claim.charge, Decimal) and claim.charge == Decimal("150.00")
    assert str(claim.charge) == "150.00"
