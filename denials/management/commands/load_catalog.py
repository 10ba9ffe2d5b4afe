from django.core.management.base import BaseCommand

from denials.catalog import catalog_sync
from denials.models import ReasonCode, RemarkCode


class Command(BaseCommand):
    help = "Add the shipped CARC/RARC codes that are missing (--reset also undoes edits)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true")

    def handle(self, *args, reset: bool, **options):
        carcs, rarcs = catalog_sync(ReasonCode, RemarkCode, overwrite=reset)
        self.stdout.write(f"Catalog: {carcs} reason codes, {rarcs} remark codes.")
