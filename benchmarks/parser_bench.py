"""Benchmark the 835 parser against pyx12 on one generated file.

    .venv/bin/python benchmarks/parser_bench.py                 # 20,000 claims
    .venv/bin/python benchmarks/parser_bench.py --claims 50000 --no-pyx12

Generates one synthetic 835 (remittance.generator.generate_file; if the generator is missing,
a file built by repeating a sample's claim loops), writes it to a temporary file and reads it
from disk with:

- ours: x12.remit835.Reader, touching every claim, service line and adjustment;
  best of --repeat runs; peak memory (tracemalloc) in a separate run;
- pyx12: pyx12.x12context.X12ContextReader(params(), errh_null(), file), iterating
  iter_segments("2100") and touching each claim loop's CLP, SVC and CAS segments; best of
  --pyx12-repeat runs (pyx12 is slow: about 40 s per run for 20,000 claims).

Prints a table with MB/s, claims/s and the ratio.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from x12.remit835 import Reader  # noqa: E402

FALLBACK_SAMPLE = ROOT / "tests" / "data" / "edi835parser_emedny-sample.835"


# -- input ----------------------------------------------------------------------------------------


def fallback_file(claims: int) -> str:
    """Repeat the claim loops of a sample until ``claims`` claims (BPR will not balance)."""
    segments = [s for s in FALLBACK_SAMPLE.read_text(encoding="latin-1").split("~") if s.strip()]
    st = next(i for i, s in enumerate(segments) if s.startswith("ST*"))
    first_claim = next(i for i, s in enumerate(segments) if s.startswith("CLP*"))
    se = next(i for i, s in enumerate(segments) if s.startswith("SE*"))
    header, loop, trailer = segments[:first_claim], segments[first_claim:se], segments[se + 1 :]
    blocks: list[list[str]] = []
    count = 0
    while count < claims:
        for segment in loop:
            if segment.startswith("CLP*"):
                if count == claims:
                    break
                count += 1
                parts = segment.split("*")
                parts[1] = f"PCN{count:09d}"
                segment = "*".join(parts)
                blocks.append([])
            blocks[-1].append(segment)
    body = [segment for block in blocks for segment in block]
    se_count = len(header) - st + len(body) + 1
    st02 = segments[st].split("*")[2]
    return "~".join([*header, *body, f"SE*{se_count}*{st02}", *trailer]) + "~"


def make_file(claims: int, seed: int) -> tuple[str, str]:
    try:
        from remittance.generator import generate_file
    except ImportError:
        return fallback_file(claims), f"repeated claim loops of {FALLBACK_SAMPLE.name}"
    return generate_file(claims=claims, seed=seed), f"remittance.generator (seed {seed})"


# -- readers --------------------------------------------------------------------------------------


def read_ours(path: Path, chunk_size: int) -> tuple[int, int]:
    claims = touched = 0
    for tx in Reader(path, chunk_size=chunk_size):
        for claim in tx.claims:
            claims += 1
            touched += len(claim.adjustments)
            for line in claim.service_lines:
                touched += 1 + len(line.adjustments)
    return claims, touched


def read_pyx12(path: Path) -> tuple[int, int]:
    import pyx12.error_handler
    import pyx12.params
    import pyx12.x12context

    claims = touched = 0
    with path.open(encoding="latin-1") as handle:
        reader = pyx12.x12context.X12ContextReader(
            pyx12.params.params(), pyx12.error_handler.errh_null(), handle
        )
        for node in reader.iter_segments("2100"):
            if node.id != "2100":
                continue
            claims += 1
            node.get_value("CLP01")
            node.get_value("CLP03")
            node.get_value("CLP04")
            for cas in node.select("CAS"):
                cas.get_value("CAS03")
                touched += 1
            for line in node.select("2110"):
                line.get_value("SVC01")
                line.get_value("SVC02")
                line.get_value("SVC03")
                touched += 1
                for cas in line.select("CAS"):
                    cas.get_value("CAS03")
                    touched += 1
    return claims, touched


def best_of(runs: int, fn, *args) -> tuple[float, tuple[int, int]]:
    best = float("inf")
    result = (0, 0)
    for _ in range(max(1, runs)):
        gc.collect()
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_memory(path: Path, chunk_size: int) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        read_ours(path, chunk_size)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs of our reader (best of)")
    parser.add_argument("--pyx12-repeat", type=int, default=1, help="runs of pyx12 (best of)")
    parser.add_argument("--no-pyx12", action="store_true", help="skip pyx12")
    parser.add_argument("--chunk-size", type=int, default=1 << 20)
    parser.add_argument("--keep", metavar="PATH", help="also save the generated file here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    text, origin = make_file(args.claims, args.seed)
    data = text.encode("latin-1")
    del text
    generated = time.perf_counter() - started
    size = len(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.835"
        path.write_bytes(data)
        del data
        if args.keep:
            Path(args.keep).write_bytes(path.read_bytes())
        print(f"file: {size / 1e6:.2f} MB, {args.claims} claims, from {origin}")
        python = sys.version.split()[0]
        print(f"generated in {generated:.1f} s; python {python}, {os.cpu_count()} CPUs")

        rows = []
        seconds, (claims, touched) = best_of(args.repeat, read_ours, path, args.chunk_size)
        if claims != args.claims:
            print(f"warning: our reader saw {claims} claims, expected {args.claims}")
        rows.append(("ours (x12.remit835)", seconds, claims, f"best of {args.repeat}"))
        peak = peak_memory(path, args.chunk_size)

        if not args.no_pyx12:
            try:
                import pyx12  # noqa: F401
            except ImportError:
                print("pyx12 is not installed (pip install pyx12); skipping it")
            else:
                pyx_seconds, (pyx_claims, _) = best_of(args.pyx12_repeat, read_pyx12, path)
                if pyx_claims != claims:
                    print(f"warning: pyx12 saw {pyx_claims} claims, ours {claims}")
                rows.append(("pyx12 X12ContextReader", pyx_seconds, pyx_claims,
                             f"best of {args.pyx12_repeat}"))  # fmt: skip

    print()
    print(f"{'reader':<26} {'seconds':>9} {'MB/s':>8} {'claims/s':>10}  runs")
    for name, secs, count, runs in rows:
        print(f"{name:<26} {secs:>9.2f} {size / secs / 1e6:>8.2f} {count / secs:>10,.0f}  {runs}")
    if len(rows) == 2:
        print(f"\nours / pyx12 speed ratio: {rows[1][1] / rows[0][1]:.1f}x")
    print(f"our peak traced memory (tracemalloc, separate run): {peak / 1e6:.1f} MB"
          f" for a {size / 1e6:.1f} MB file; {touched} lines+adjustments touched")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
