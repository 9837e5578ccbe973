from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, ProgrammingError

from positions.dataset.fixtures import unreachable
from positions.dataset.verify import verify_citations
from positions.models import Citation


class Command(BaseCommand):
    help = "Re-verify every citation in the database against its source; exit non-zero on failure."

    def handle(self, *args, **options):
        try:
            failures = verify_citations()
            total = Citation.objects.count()
        except (OperationalError, ProgrammingError) as exc:
            raise CommandError(unreachable(exc)) from None
        if failures:
            for failure in failures:
                self.stderr.write(failure)
            raise CommandError(f"{len(failures)} citation checks failed")
        self.stdout.write(self.style.SUCCESS(f"All {total} citations verified."))
