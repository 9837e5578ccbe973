"""Suggested claims of a source (positions/curation/suggest.py): the passages that read like a
claim, best first, each with its offsets, quote, likely actor, propositions, kind, code, round and
score. Writes nothing.

    manage.py suggest_claims trenin-week-of-talks --json --limit 20
    manage.py suggest_claims trenin-week-of-talks --held-out   # as if the article were new
"""

import json

from django.core.management.base import BaseCommand, CommandError

from positions.curation import suggest
from positions.models import Source


class Command(BaseCommand):
    help = "Suggest the claims of a source: its passages that read like a claim, best first."

    def add_arguments(self, parser):
        parser.add_argument("source", help="The source's slug.")
        parser.add_argument("--json", action="store_true", help="One JSON object a line.")
        parser.add_argument("--limit", type=int, default=None, help="At most this many.")
        parser.add_argument(
            "--held-out",
            action="store_true",
            help="Leave the source's own curated claims out of the examples, as for a new one.",
        )

    def handle(self, *args, **options):
        try:
            source = Source.objects.get(slug=options["source"])
        except Source.DoesNotExist:
            raise CommandError(f"No source has the slug “{options['source']}”.") from None
        found = suggest.suggest(source, held_out=options["held_out"], limit=options["limit"])
        for item in found:
            if options["json"]:
                self.stdout.write(json.dumps(item.as_json(), ensure_ascii=False))
            else:
                about = ", ".join(item.propositions) or "no proposition"
                self.stdout.write(
                    f"{item.score:.2f}  {item.start}-{item.end}  {item.actor or '?'}  "
                    f"{item.kind}:{item.code or '-'}  {about}\n      “{item.quote}”"
                )
        if not found:
            self.stderr.write("No passage of this source reads like a claim.")
