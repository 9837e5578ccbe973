"""Parley's benchmark: `make bench`. It prints figures and writes docs/benchmarks.md; it asserts
nothing about time (the query-count invariants are pinned by the test suite).

For synthetic datasets at 1x, 10x and 100x the curated one it reports, per page type: SQL queries,
median and 95th-percentile time in process, and throughput relative to a trivial Django view
measured in the same run; and the time to load and verify the dataset (citations per second).

Run from the project root: .venv/bin/python bench/run.py [--sizes 1 10 100] [--requests 40]

On SQLite by default (a file of its own in a temporary folder). On PostgreSQL: set
BENCH_DATABASE_URL to a database of its own, which the benchmark empties and fills at each size,
e.g. `make bench BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_bench` (create it
first: `createdb -h 127.0.0.1 -U postgres parley_bench`). Never point it at data you want kept.
"""

import argparse
import cProfile
import datetime
import os
import platform
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="parley-bench-"))

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DEBUG": "false",  # as in production: no query logging, compressed static manifest
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL")
        or f"sqlite:///{WORK / 'bench.sqlite3'}",
    }
)

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from positions import citations  # noqa: E402
from positions.dataset import fixtures as dataset_format  # noqa: E402
from positions.dataset import verify as dataset_verify  # noqa: E402
from positions.dataset import write as dataset_write  # noqa: E402
from positions.models import Demand, Response, Stance  # noqa: E402

# --------------------------------------------------------------------------- a trivial view


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("__trivial__/", trivial), path("", include("project.urls"))]

# --------------------------------------------------------------------------- synthetic datasets

# (actors, issues, rounds, stances, demands, responses) at each size; citations are ~2 a claim.
SIZES = {
    1: (26, 38, 6, 112, 11, 26),
    10: (60, 120, 12, 2_000, 110, 260),
    100: (100, 200, 20, 20_000, 1_100, 2_600),
}
CODES = ["demands", "supports", "open", "conditional", "opposes", "rejects", "undeclared"]
SENTENCES_PER_SOURCE = 2_000


class Sentences:
    """Unique sentences spread over many sources, each to be quoted once."""

    def __init__(self):
        self.sources = []
        self.count = 0

    def next(self):
        index, self.count = self.count, self.count + 1
        source = index // SENTENCES_PER_SOURCE
        if source == len(self.sources):
            self.sources.append([])
        sentence = (
            f"Sentence {index} says that party {index % 97} holds view {index * 7919 % 10007}."
        )
        self.sources[source].append(sentence)
        return f"bench-source-{source}", sentence


def generate(scale, root):
    n_actors, n_issues, n_rounds, n_stances, n_demands, n_responses = SIZES[scale]
    rng = random.Random(scale)
    fixtures, seeds = root / "fixtures", root / "seeds"
    fixtures.mkdir(parents=True)
    seeds.mkdir()
    text = Sentences()

    def cite(k=2):
        return [dict(zip(("source", "quote"), text.next(), strict=True)) for _ in range(k)]

    n_parties, n_analysts = n_actors // 5, n_actors // 5
    parties = [f"party-{i}" for i in range(n_parties)]
    actors = [
        {"slug": p, "name": p.title(), "kind": "state", "order": i} for i, p in enumerate(parties)
    ]
    analysts = [f"analyst-{i}" for i in range(n_analysts)]
    actors += [
        {"slug": a, "name": a.title(), "kind": "analyst", "order": 500 + i}
        for i, a in enumerate(analysts)
    ]
    officials = [f"official-{i}" for i in range(n_actors - n_parties - n_analysts)]
    actors += [
        {
            "slug": o,
            "name": o.title(),
            "kind": "official",
            "affiliation": parties[i % n_parties],
            "order": 100 + i,
        }
        for i, o in enumerate(officials)
    ]
    n_parents = max(1, n_issues // 6)
    issues = [
        {"slug": f"cluster-{i}", "title": f"Cluster {i}", "order": i * 100}
        for i in range(n_parents)
    ]
    issues += [
        {
            "slug": f"issue-{i}",
            "title": f"Issue {i}",
            "parent": f"cluster-{i % n_parents}",
            "order": (i % n_parents) * 100 + 1 + i,
        }
        for i in range(n_issues - n_parents)
    ]
    issue_slugs = [i["slug"] for i in issues]
    rounds = [
        {
            "slug": f"round-{i}",
            "title": f"Round {i}",
            "format": "bilateral",
            "city": "Geneva",
            "date": f"2022-{1 + i % 12:02d}",
            "participants": rng.sample(parties, min(3, n_parties)),
            "order": i + 1,
            "citations": cite(1),
        }
        for i in range(n_rounds)
    ]
    round_slugs = [r["slug"] for r in rounds]
    stances, seen = [], set()
    speakers = parties + officials
    # The pages measured (official-0, round-1, cluster-0, demand-0) hold the same kinds of
    # claims at every size, so their query counts can be compared across sizes.
    while len(stances) < n_stances:
        analyst = bool(stances) and rng.random() < 0.2
        actor = rng.choice(analysts if analyst else speakers) if stances else officials[0]
        issue = rng.choice(issue_slugs)
        talk_round = None if analyst or rng.random() < 0.1 else rng.choice(round_slugs)
        if (actor, issue, talk_round) in seen:
            continue
        seen.add((actor, issue, talk_round))
        record = {"actor": actor, "issue": issue}
        if talk_round:
            record["round"] = talk_round
        record.update(
            stance=rng.choice(CODES),
            summary=f"{actor} on {issue}",
            attribution=rng.choice(["analysis", "proposal"])
            if analyst
            else rng.choice(["on_record", "reported"]),
            confidence="high",
            citations=cite(2),
        )
        stances.append(record)
    demands = [
        {
            "slug": f"demand-{i}",
            "actor": officials[0] if i == 0 else rng.choice(speakers),
            "round": rng.choice(round_slugs),
            "issues": rng.sample(issue_slugs, 2),
            "text": f"Demand {i}",
            "bindingness": "legally_binding",
            "outcome": "rejected",
            "citations": cite(2),
        }
        for i in range(n_demands)
    ]
    responses = []
    others = [a for a in speakers if a != officials[0]]
    for i in range(n_responses):
        record = {
            "slug": f"response-{i}",
            "actor": officials[0] if i == 0 else rng.choice(others),
            "round": rng.choice(round_slugs),
            "kind": rng.choice(["offer", "rejection", "threat"]),
            "answers": [f"demand-{i % n_demands}"],
            "issues": rng.sample(issue_slugs, 1),
            "text": f"Response {i}",
            "citations": cite(2),
        }
        if i >= n_demands:
            record["replies_to"] = [f"response-{i - n_demands}"]
        responses.append(record)
    sources = []
    for index, sentences in enumerate(text.sources):
        body = (
            "\n\n".join(" ".join(sentences[j : j + 5]) for j in range(0, len(sentences), 5)) + "\n"
        )
        file_name = f"bench-{index}.txt"
        (seeds / file_name).write_text(body, encoding="utf-8")
        sources.append(
            {
                "slug": f"bench-source-{index}",
                "title": f"Bench article {index}",
                "kind": "news_report",
                "file": file_name,
                "sha256": citations.sha256_text(body),
            }
        )
    for kind, records in (
        ("source", sources),
        ("actor", actors),
        ("issue", issues),
        ("round", rounds),
        ("demand", demands),
        ("response", responses),
        ("stance", stances),
    ):
        (fixtures / dataset_format.FILES[kind]).write_text(
            yaml.dump(
                records,
                Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                sort_keys=False,
                allow_unicode=True,
            ),
            encoding="utf-8",
        )
    return fixtures, seeds, text.count


# --------------------------------------------------------------------------- measuring


def reset_database():
    connections.close_all()
    db = Path(settings.DATABASES["default"]["NAME"])
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and db.exists():
        db.unlink()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def quiet(message):
    pass


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def measure(client, url, requests, cold=False):
    """Queries of one request, then median and p95 of ``requests`` timed requests, in ms."""
    client.get(url)  # prime the cache (or, for the uncached pages, clear it just below)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    n_queries = len(queries)  # now: the log is reset by the next request
    assert response.status_code == 200, (url, response.status_code)
    for _ in range(3):
        client.get(url)  # warm up
    times = []
    deadline = time.perf_counter() + 20
    for _ in range(requests):
        if cold:
            cache.clear()
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if time.perf_counter() > deadline and len(times) >= 5:
            break
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return n_queries, statistics.median(times), p95, len(response.content)


def pages():
    stance = Stance.objects.published().order_by("pk").first()
    demand = Demand.objects.order_by("pk").first()
    response = Response.objects.order_by("pk").first()
    return {
        "trivial view": "/__trivial__/",
        "comparison table (cached)": "/",
        "comparison table (uncached)": "/",
        "comparison, round filter (uncached)": "/?round=round-1&analysis=exclude",
        "claims of one cell": "/claims/?actor=party-0&issue=cluster-0",
        "issue (uncached)": "/issues/cluster-0/",
        "issue (cached)": "/issues/cluster-0/",
        "actor (official)": "/actors/official-0/",
        "round": "/rounds/round-1/",
        "demand and its chain": demand.get_absolute_url(),
        "response": response.get_absolute_url(),
        "stance": stance.get_absolute_url(),
        "source text": "/sources/bench-source-0/",
        "search": "/search/?q=Issue+1",
        "search, one kind (stances, page 2)": "/search/?q=party&kind=stances&page=2",
        "claims.csv of one cell": "/claims.csv?actor=party-0&issue=cluster-0",
        "table.json (uncached)": "/table.json?analysis=exclude",
        "table.json (cached)": "/table.json?analysis=exclude",
        "claims.csv, whole (uncached)": "/claims.csv",
        "claims.csv, whole (cached)": "/claims.csv",
        "API stances, first page (uncached)": "/api/v1/stances/",
        "API stances, first page (cached)": "/api/v1/stances/",
    }


# What each target page shows at any size, so that its cost follows what it shows (issue 11).
PAGE_NOTES = [
    "What bounds each page:",
    "",
    "- **Comparison table**: 40 propositions a page (`comparison.ROWS_PER_PAGE`); the cells of that "
    "page only are chosen in SQL with window functions. At 100x a page has 40 rows by 20 parties "
    "and 20 analysts: still about four times the cells of the whole table at 1x.",
    "- **Issue**: its sections (the issue and each sub-issue, with a chart and a movement table) "
    "are paged at about 150 stances (`queries.STANCES_PER_PAGE`); the first 20 analyses of a "
    "section, demands and responses (`queries.SHOWN`).",
    "- **Round and actor**: the first 20 stances, demands and responses (`queries.SHOWN`), but an "
    "actor's first 40 stances (`queries.SHOWN_ACTOR_STANCES`); each list says how many more and "
    "links to them.",
    "- **Source**: the whole article with every passage highlighted (one narrow query), and 50 "
    "passages a page with their claims (`queries.PASSAGES_PER_PAGE`).",
    "- **Search**: the first 10 results of each kind and the total of each (`search.SHOWN`), or "
    "50 a page of one kind (`search.PER_PAGE`), found through the database's full-text index "
    "over the stored entries (GIN on PostgreSQL, FTS5 on SQLite).",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[1, 10, 100])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    call_command("collectstatic", interactive=False, verbosity=0)
    load_rows, page_rows = [], {}
    with override_settings(ROOT_URLCONF=__name__):
        for scale in args.sizes:
            print(f"\n== {scale}x ==", flush=True)
            root = WORK / f"{scale}x"
            shutil.rmtree(root, ignore_errors=True)
            gen_time, (fixtures, seeds, n_citations) = timed(generate, scale, root)
            reset_database()
            load_time, _ = timed(dataset_write.load_dataset, fixtures, seeds, log=quiet)
            reload_time, _ = timed(dataset_write.load_dataset, fixtures, seeds, log=quiet)
            verify_time, failures = timed(dataset_verify.verify_citations)
            assert failures == [], failures[:5]
            n_stances = Stance.objects.count()
            load_rows.append((scale, n_stances, n_citations, load_time, reload_time, verify_time))
            print(
                f"generated in {gen_time:.1f}s; {n_stances} stances, {n_citations} citations; "
                f"load {load_time:.2f}s ({n_citations / load_time:,.0f} citations/s), "
                f"reload {reload_time:.2f}s, verify {verify_time:.2f}s ({n_citations / verify_time:,.0f}/s)",
                flush=True,
            )
            client = Client()
            for _ in range(
                200
            ):  # the process's first requests run slower: not the first page's fault
                client.get("/__trivial__/")
            for name, url in pages().items():
                result = measure(client, url, args.requests, cold="uncached" in name)
                page_rows.setdefault(name, {})[scale] = result
                print(
                    f"  {name:38s} {result[0]:3d} queries  median {result[1]:8.2f} ms  p95 {result[2]:8.2f} ms  "
                    f"{result[3] / 1024:8.1f} KiB",
                    flush=True,
                )
            if scale == max(args.sizes):
                shares = {name: where_time_goes(client, pages()[name]) for name in TARGETS}
    write_report(args, load_rows, page_rows, shares)
    shutil.rmtree(WORK, ignore_errors=True)


# The pages issue 11 set a bound on: the largest size's median at most this many times the
# smallest size's, in the same run.
TARGETS = {
    "comparison table (uncached)": 10,
    "round": 5,
    "issue (uncached)": 5,
    "actor (official)": 5,
    "source text": 5,
    # Search reads stored entries through the database's full-text index (issue 20).
    "search": 5,
    "search, one kind (stances, page 2)": 5,
    # Downloads, the issue pages and the API are made once per dataset version and filters,
    # then kept (issue 19): what a reader or data user waits for after the first request.
    "table.json (cached)": 10,
    "claims.csv, whole (cached)": 10,
}

# Where a profiled request spends its time, by the code it is in (tottime of each function).
BUCKETS = [
    ("the database (running SQL, fetching rows)", ("sqlite3", "psycopg", "Cursor")),
    ("Django's ORM (building SQL, making rows into objects)", ("/django/db/",)),
    ("templates", ("/django/template/", "/templatetags/")),
    ("forms and widgets", ("/django/forms/", "/positions/site/widgets.py", "/django_filters/")),
    ("Parley's own code (positions/)", ("/positions/",)),
]
OTHER = "everything else (middleware, URL resolving, Python itself)"


def where_time_goes(client, url):
    """Shares of one uncached request's time by bucket, from cProfile (its overhead inflates the
    time, so only the shares are reported)."""
    client.get(url)
    cache.clear()
    profile = cProfile.Profile()
    profile.enable()
    client.get(url)
    profile.disable()
    spent = dict.fromkeys([name for name, _ in BUCKETS] + [OTHER], 0.0)
    for (file, _line, function), (_cc, _nc, tottime, _ct, _callers) in pstats.Stats(
        profile
    ).stats.items():
        place = f"{file} {function}"
        bucket = next((name for name, marks in BUCKETS if any(m in place for m in marks)), OTHER)
        spent[bucket] += tottime
    total = sum(spent.values()) or 1
    return {bucket: seconds / total for bucket, seconds in spent.items()}


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def write_report(args, load_rows, page_rows, shares):
    sizes = args.sizes
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`bench/run.py`) on {datetime.date.today().isoformat()}.",
        "",
        f"- Machine: {platform.node()}, {os.cpu_count()} cores, {cpu_model()}, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, database "
        f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}",
        "- In process, through Django's test client and the whole middleware stack, DEBUG off, one thread. "
        f"Up to {args.requests} timed requests a page after 3 warm-up requests (at most ~20 s a page).",
        "- *Throughput vs trivial*: the trivial view's median divided by the page's median, measured in "
        "the same run: 1.00 would be as fast as a view that returns a fixed response.",
        "- *Uncached*: the kept responses (positions/site/http_cache.py `kept`: the comparison, the "
        "issue pages, the downloads, the API) are cleared before every request; *cached* is what "
        "every request after the first gets until the data changes.",
        "",
        "## Loading and verifying the dataset",
        "",
        "| size | stances | citations | load (check + write) | citations/s | reload (no change) | verify | citations/s | µs a citation (load) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, n_stances, n_citations, load, reload, verify in load_rows:
        lines.append(
            f"| {scale}x | {n_stances:,} | {n_citations:,} | {load:.2f} s | {n_citations / load:,.0f} | "
            f"{reload:.2f} s | {verify:.2f} s | {n_citations / verify:,.0f} | {load / n_citations * 1e6:,.0f} |"
        )
    lines += ["", "## Pages", ""]
    header = (
        "| page | "
        + " | ".join(f"queries {s}x" for s in sizes)
        + " | "
        + " | ".join(f"median / p95 {s}x (ms)" for s in sizes)
        + " | "
        + " | ".join(f"vs trivial {s}x" for s in sizes)
        + " |"
    )
    lines += [header, "|---|" + "---:|" * (3 * len(sizes))]
    for name, by_size in page_rows.items():
        queries = " | ".join(str(by_size[s][0]) for s in sizes)
        timing = " | ".join(f"{by_size[s][1]:.2f} / {by_size[s][2]:.2f}" for s in sizes)
        ratio = " | ".join(f"{page_rows['trivial view'][s][1] / by_size[s][1]:.2f}" for s in sizes)
        lines.append(f"| {name} | {queries} | {timing} | {ratio} |")
    same = [name for name, by in page_rows.items() if len({by[s][0] for s in sizes}) == 1]
    differ = [name for name in page_rows if name not in same]
    lines += ["", f"Same query count at every size: {len(same)} of {len(page_rows)} pages."]
    if differ:
        lines.append(f"Query count differs: {', '.join(differ)}.")
    small, large = min(sizes), max(sizes)
    lines += [
        "",
        f"## Targets: {large}x against {small}x, in this run",
        "",
        f"| page | median {small}x (ms) | median {large}x (ms) | ratio | target | met |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, bound in TARGETS.items():
        before, after = page_rows[name][small][1], page_rows[name][large][1]
        ratio = after / before
        lines.append(
            f"| {name} | {before:.2f} | {after:.2f} | {ratio:.1f}x | {bound}x | "
            f"{'yes' if ratio <= bound else '**no**'} |"
        )
    buckets = [name for name, _ in BUCKETS] + [OTHER]
    lines += [
        "",
        f"## Where the remaining time goes, at {large}x",
        "",
        "One uncached request of each target page under cProfile, its time split by the code it "
        "was spent in (each function's own time). Profiling slows Python more than SQL, so the "
        "database's share is if anything understated.",
        "",
        "| page | " + " | ".join(buckets) + " |",
        "|---|" + "---:|" * len(buckets),
    ]
    for name, split in shares.items():
        lines.append(f"| {name} | " + " | ".join(f"{split[b]:.0%}" for b in buckets) + " |")
    lines += ["", *PAGE_NOTES]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nWrote {args.out}")


if __name__ == "__main__":
    main()
