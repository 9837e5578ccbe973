from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from positions.dataset import DatasetError, load_dataset


class Command(BaseCommand):
    help = (
        "Load the curated dataset (seeds/ and fixtures/) in one transaction. Any problem refuses "
        "the whole load and names the file, record and field. Loading twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=settings.PARLEY_FIXTURES_DIR)
        parser.add_argument("--seeds", default=settings.PARLEY_SEEDS_DIR)

    def handle(self, *args, fixtures, seeds, verbosity, **options):
        def log(message):
            if verbosity >= 1:
                self.stdout.write(message)

        try:
            report = load_dataset(fixtures, seeds, log=log)
        except DatasetError as exc:
            raise CommandError(str(exc)) from None
        if verbosity >= 2:
            self.stdout.write(report.summary())
        verb = f"{report.changes} changes" if report.changes else "no changes: already up to date"
        self.stdout.write(self.style.SUCCESS(f"Dataset loaded ({verb})."))
