"""Benchmark the 837 reader against pyx12 on generated 837P content.

    .venv/bin/python benchmarks/x12_837_bench.py                 # >= 20 MB file + pyx12 slice
    .venv/bin/python benchmarks/x12_837_bench.py --no-pyx12

- input: ``remittance.generator.claims.build_837`` rendered by ``x12.claim837.writer``;
  the full file (default 60,000 claims, about 24 MB) and a slice made of its first
  transaction only (2,000 claims, rendered the same way) for the comparison with pyx12;
- ours: ``x12.claim837.Reader837``, touching every claim (CLM01, CLM02, subscriber, payer)
  and every line (procedure code, charge, units);
- pyx12: ``X12ContextReader`` with its 837 maps, iterating the 2300 loops and touching the
  same values (CLM01, CLM02, SV101, SV102, SV104). pyx12 is slow, so it reads only the
  slice; the speed ratio is ours / pyx12 on that same slice.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from remittance.generator.claims import build_837  # noqa: E402
from x12.claim837 import Reader837  # noqa: E402
from x12.claim837.writer import render_837  # noqa: E402


def read_ours(path: Path) -> tuple[int, int]:
    claims = lines = 0
    for tx in Reader837(path):
        for claim in tx.claims:
            claims += 1
            claim.patient_control_number, claim.charge, claim.subscriber, claim.payer  # noqa: B018
            for line in claim.lines:
                line.procedure_code, line.charge, line.units  # noqa: B018
                lines += 1
    return claims, lines


def read_pyx12(path: Path) -> tuple[int, int]:
    import pyx12.error_handler
    import pyx12.params
    import pyx12.x12context

    claims = lines = 0
    with path.open(encoding="latin-1") as handle:
        reader = pyx12.x12context.X12ContextReader(
            pyx12.params.params(), pyx12.error_handler.errh_null(), handle
        )
        for node in reader.iter_segments("2300"):
            if node.id != "2300":
                continue
            claims += 1
            node.get_value("CLM01")
            node.get_value("CLM02")
            for line in node.select("2400"):
                line.get_value("SV101")
                line.get_value("SV102")
                line.get_value("SV104")
                lines += 1
    return claims, lines


def best_of(runs: int, fn, *args):
    best, result = None, None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn(*args)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=60000)
    parser.add_argument("--seed", type=int, default=837)
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours (best of)")
    parser.add_argument("--no-pyx12", action="store_true")
    args = parser.parse_args(argv)
    txs = build_837(seed=args.seed, claims=args.claims, claims_per_transaction=2000)
    with tempfile.TemporaryDirectory() as tmp:
        full, part = Path(tmp, "full.837"), Path(tmp, "slice.837")
        full.write_text(render_837(txs), encoding="latin-1")
        part.write_text(render_837(txs[:1]), encoding="latin-1")
        rows = []
        for label, path in (("full", full), ("slice", part)):
            size = path.stat().st_size / 1e6
            seconds, (claims, lines) = best_of(args.repeat, read_ours, path)
            rows.append((f"ours, {label}", size, seconds, claims, lines))
        if not args.no_pyx12:
            size = part.stat().st_size / 1e6
            seconds, (claims, lines) = best_of(1, read_pyx12, part)
            rows.append(("pyx12, slice", size, seconds, claims, lines))
    print(f"{'reader':<14} {'MB':>7} {'seconds':>8} {'MB/s':>8} {'claims':>8} {'lines':>8}")
    for label, size, seconds, claims, lines in rows:
        print(
            f"{label:<14} {size:7.2f} {seconds:8.3f} {size / seconds:8.2f} {claims:8d} {lines:8d}"
        )
    if len(rows) == 3:
        print(f"\nours / pyx12 speed ratio on the same slice: {rows[2][2] / rows[1][2]:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
