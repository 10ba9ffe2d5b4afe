"""Write a synthetic claims set: ``manage.py generate_claim_set --claims 1000 --seed 1 --out DIR``.

837 batches, their 277CA acknowledgements and the 835s paying the same claims, named by day
so that name order is the order of events: ``2026-10-01_batch-001.837``,
``2026-10-02_ack-001.277ca``, ``2026-11-15_remit-001.835``. All data is invented; see
remittance.generator.claimset.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from remittance.generator import build_claim_set

DEFAULT_START = date(2026, 10, 1)


class Command(BaseCommand):
    help = "Write matching synthetic 837, 277CA and 835 files for the same claims."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=1000, help="distinct claims")
        parser.add_argument("--seed", type=int, default=0, help="random seed (deterministic)")
        parser.add_argument("--out", required=True, help="output directory (created if missing)")
        parser.add_argument(
            "--start",
            type=date.fromisoformat,
            default=DEFAULT_START,
            help=f"first submission day, YYYY-MM-DD (default {DEFAULT_START})",
        )
        parser.add_argument(
            "--files", type=int, default=1, help="837 batches per submission day and claim kind"
        )

    def handle(self, *args, claims: int, seed: int, out: str, start, files: int, **options):
        if isinstance(start, str):  # call_command(start="YYYY-MM-DD") skips the argparse type
            try:
                start = date.fromisoformat(start)
            except ValueError as exc:
                raise CommandError("--start must be YYYY-MM-DD.") from exc
        if claims < 0:
            raise CommandError("--claims must be zero or more.")
        if files < 1:
            raise CommandError("--files must be at least 1.")
        claim_set = build_claim_set(claims=claims, seed=seed, start=start, files=files)
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        for f in claim_set.files:
            (directory / f.name).write_text(f.text, encoding="ascii", newline="")
        self.stdout.write(f"{directory}: {claim_set.summary()}")
