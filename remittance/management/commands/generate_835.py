"""Write synthetic 835 files: ``manage.py generate_835 --claims 3000 --seed 1 --files 3 --out DIR``.

Files are DIR/synthetic-<seed>-<n>.835, n = 1..files (zero-padded when there are ten or
more, so that name order is payment order). Claims are split across the files in payment-cycle
order: a reversal's original claim, when present, is in an earlier file (or earlier in the
same one). All data is invented; see remittance.generator.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from remittance.generator import build_files, render


class Command(BaseCommand):
    help = "Write synthetic X12 835 remittance files (invented payers, patients and amounts)."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=3000, help="total CLP loops")
        parser.add_argument("--seed", type=int, default=0, help="random seed (deterministic)")
        parser.add_argument("--files", type=int, default=1, help="number of 835 files")
        parser.add_argument("--out", default=".", help="output directory (created if missing)")
        parser.add_argument(
            "--newline", action="store_true", help="a line feed after each segment terminator"
        )
        parser.add_argument(
            "--start-date",
            type=date.fromisoformat,
            default=None,
            help="first payment cycle, YYYY-MM-DD (default: a fixed date, for repeatable files)",
        )

    def handle(
        self,
        *args,
        claims: int,
        seed: int,
        files: int,
        out: str,
        newline: bool,
        start_date: date | None = None,
        **options,
    ):
        if claims < 0:
            raise CommandError("--claims must be zero or more.")
        if files < 1:
            raise CommandError("--files must be at least 1.")
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        width = len(str(files)) if files >= 10 else 1
        for n, transactions in enumerate(
            build_files(claims=claims, seed=seed, files=files, start_date=start_date), 1
        ):
            path = directory / f"synthetic-{seed}-{n:0{width}d}.835"
            text = render(transactions, newline=newline, isa_control_start=n)
            path.write_text(text, encoding="ascii", newline="")
            self.stdout.write(str(path))
