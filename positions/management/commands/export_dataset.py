from django.conf import settings
from django.core.management.base import BaseCommand

from positions.dataset.export import export_dataset


class Command(BaseCommand):
    help = (
        "Write the database back as fixtures/ and seeds/ in the format load_dataset reads: natural "
        "keys, stable order and formatting, so curated edits review as a diff."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            default=settings.BASE_DIR,
            help="The folder to write fixtures/ and seeds/ into (default: the project itself).",
        )

    def handle(self, *args, out, verbosity, **options):
        def log(message):
            if verbosity >= 1:
                self.stdout.write(message)

        export_dataset(out, log=log)
        self.stdout.write(self.style.SUCCESS(f"Dataset exported to {out}."))
