"""Make every search entry anew (positions/search_index.py): after a restore from a dump taken
without them, or to check the index. The loader and every save keep them current otherwise."""

from django.core.management.base import BaseCommand
from django.db import transaction

from positions import models, search_index


class Command(BaseCommand):
    help = "Make every search entry anew from the published data."

    def handle(self, *args, **options):
        with transaction.atomic():
            search_index.rebuild()
        count = models.SearchEntry.objects.count()
        self.stdout.write(f"Search index rebuilt: {count} entries.")
