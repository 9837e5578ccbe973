from django.core.management.base import BaseCommand, CommandError

from positions.dataset import verify_citations
from positions.models import Citation


class Command(BaseCommand):
    help = "Re-verify every citation in the database against its source; exit non-zero on failure."

    def handle(self, *args, **options):
        failures = verify_citations()
        if failures:
            for failure in failures:
                self.stderr.write(failure)
            raise CommandError(f"{len(failures)} citation checks failed")
        self.stdout.write(self.style.SUCCESS(f"All {Citation.objects.count()} citations verified."))
