from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from positions.dataset.fixtures import DatasetError
from positions.dataset.write import load_dataset


class Command(BaseCommand):
    help = (
        "Load the curated dataset (seeds/ and fixtures/) in one transaction. Any problem refuses "
        "the whole load and names the file, record and field. Loading twice changes nothing. "
        "Records in the database that the fixtures no longer hold are reported; --prune deletes "
        "them in the same transaction, refusing the whole load where that would orphan something."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=settings.PARLEY_FIXTURES_DIR)
        parser.add_argument("--seeds", default=settings.PARLEY_SEEDS_DIR)
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete the records the fixtures no longer hold (with their citations and "
            "pending proposed changes), unless something kept still refers to them.",
        )

        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though people changed the data in the admin since the last load or "
            "export, overwriting those changes (export_dataset first to keep them).",
        )

    def handle(self, *args, fixtures, seeds, prune, force, verbosity, **options):
        def log(message):
            if verbosity >= 1:
                self.stdout.write(message)

        try:
            report = load_dataset(fixtures, seeds, log=log, prune=prune, force=force)
        except DatasetError as exc:
            raise CommandError(str(exc)) from None
        if verbosity >= 2:
            self.stdout.write(report.summary())
        stale = report.stale_records()
        if stale and prune:
            self.stdout.write(
                self.style.WARNING(f"Pruned {len(stale)} records the fixtures no longer hold:")
            )
        elif stale:
            self.stdout.write(
                self.style.WARNING(
                    f"Warning: {len(stale)} records in the database are not in the fixtures. "
                    "They were left as they are, still shown if published; run "
                    "load_dataset --prune to delete them (export_dataset first to keep them):"
                )
            )
        for line in stale:
            self.stdout.write(self.style.WARNING(f"  {line}"))
        verb = f"{report.changes} changes" if report.changes else "no changes: already up to date"
        self.stdout.write(self.style.SUCCESS(f"Dataset loaded ({verb})."))
