"""make bench (and make bench-suggest): how well Parley suggests the claims of an article it has
not seen. Each curated source in turn, its own curated claims held out of the examples
(positions/curation/suggest.py evaluate); written to docs/suggestions.md. A throwaway SQLite
database with the shipped dataset."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = tempfile.mkdtemp(prefix="parley-suggest-")
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DATABASE_URL": f"sqlite:///{WORK}/suggest.sqlite3",
    }
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from positions.curation import suggest  # noqa: E402

TOP = (10, 20, 40)


def percent(part, whole):
    return f"{part} of {whole} ({100 * part / whole:.0f}%)" if whole else "none"


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "suggestions.md"
    call_command("migrate", verbosity=0)
    call_command("load_dataset", verbosity=0)
    results = suggest.evaluate(TOP)
    total = {key: sum(r[key] for r in results.values()) for key in next(iter(results.values()))}
    lines = [
        "# Suggested claims: how well they find what a curator found",
        "",
        "Written by `make bench` (`bench/suggestions.py`). The suggester is",
        "`positions/curation/suggest.py`; `manage.py suggest_claims <source> --json` prints its",
        "suggestions for any source.",
        "",
        "## Method",
        "",
        "- Each curated source in turn is read as if it were new: its own curated claims are left",
        "  out of the examples the suggester learns from (the other articles' claims, the",
        "  propositions, the actors), so nothing it suggests was copied from the answer.",
        "- A curated passage is **found** when a suggestion's sentence overlaps it. Passages are",
        "  counted once each (several claims may cite one passage).",
        "- Of the curated claims whose passage is found among the top "
        f"{max(TOP)} suggestions, the **actor** is right when the suggestion names the claim's",
        "  actor or the party it speaks for; the **proposition** is right when it is the first",
        "  suggested (top 1) or among the three suggested (top 3).",
        "- The baseline is the same number of sentences read from the top of the article: a",
        "  ranking is worth something only where it finds more than reading in order would.",
        "- The figures are exact counts on the shipped dataset; a run gives the same figures.",
        "",
        "## Figures",
        "",
        "| article | sentences | curated passages | found in top 10 | top 20 | top 40 "
        "| baseline: first 20 sentences | claims found (top 40) | actor right "
        "| proposition top 1 | top 3 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for slug, r in [*results.items(), ("**all**", total)]:
        lines.append(
            f"| {slug} | {r['sentences']} | {r['passages']} | "
            + " | ".join(percent(r[f"top{k}"], r["passages"]) for k in TOP)
            + f" | {percent(r['order20'], r['passages'])}"
            + f" | {r['matched']} of {r['claims']} | {percent(r['actor'], r['matched'])} | "
            f"{percent(r['issue1'], r['matched'])} | {percent(r['issue3'], r['matched'])} |"
        )
    lines += [
        "",
        "## What it means for a curator",
        "",
        "The top suggestions are a reading list, not claims: a curator still reads the article,",
        "but starts from the sentences most like the claims curated so far, with the actor and",
        "propositions to check rather than to find. Where it is weak: an analyst's article names",
        "the parties it analyses, so the actor of an assessment is often suggested as the party it",
        "is about; and a proposition never curated before has no quotes to be matched by.",
        "",
    ]
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
