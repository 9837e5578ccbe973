"""What the public web sends: random and hostile query strings and paths never give a 5xx, and
curated text containing HTML or script is shown escaped everywhere, downloads included."""

import json
import subprocess
import sys
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from positions.models import Actor, Stance
from tests.factories import make_world

pytestmark = pytest.mark.django_db

LISTS = [
    "/",
    "/claims/",
    "/table.csv",
    "/table.json",
    "/claims.csv",
    "/claims.json",
    "/search/",
    "/issues/",
    "/actors/",
    "/rounds/",
    "/demands/",
    "/sources/",
    "/about/",
]
DETAILS = [
    "/issues/{}/",
    "/actors/{}/",
    "/rounds/{}/",
    "/demands/{}/",
    "/responses/{}/",
    "/sources/{}/",
    "/stances/{}/",
]
PARAMS = [
    "round",
    "as_of",
    "issue",
    "actor",
    "actor_kind",
    "stance",
    "source",
    "analysis",
    "officials",
    "q",
    "page",
    "format",
]

hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            "\x00",
            "%00",
            "'; DROP TABLE positions_stance; --",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "round-0",
            "party-0",
            "9" * 40,
            "-1",
            "ñ́",
            "\ud7ff",
            "\u202e",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=500, max_size=1500),
)
RELAXED = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def world():
    return make_world(2)


@RELAXED
@given(
    url=st.sampled_from(LISTS),
    params=st.lists(
        st.tuples(st.one_of(st.sampled_from(PARAMS), st.text(max_size=20)), hostile_text),
        max_size=6,
    ),
)
def test_random_query_strings_never_give_a_server_error(client, world, url, params):
    response = client.get(url + "?" + urlencode(params))
    assert response.status_code < 500, (url, params)
    # A page number that is not one (or is past the last page) is a 404 on the paged pages.
    paged = any(name == "page" and value not in ("", "1") for name, value in params)
    assert response.status_code in ((200, 400, 404) if paged else (200, 400)), (url, params)


@RELAXED
@given(pattern=st.sampled_from(DETAILS), segment=hostile_text)
def test_random_path_segments_never_give_a_server_error(client, world, pattern, segment):
    response = client.get(pattern.format(quote(segment, safe="")))
    assert response.status_code in (200, 301, 400, 404), (pattern, segment)


@pytest.mark.parametrize("segment", ["9" * 30, "-5", "0", "1e9"])
def test_huge_or_odd_ids_are_not_found(client, world, segment):
    assert client.get(f"/stances/{segment}/").status_code == 404


# --------------------------------------------------------------------------- escaping

SCRIPT = '<script>alert("parley")</script><b onmouseover="x()">bold</b>'


def test_curated_html_is_shown_escaped_everywhere(client):
    world = make_world(1)
    Stance.objects.filter(actor=world["parties"][0]).update(summary=SCRIPT)
    Actor.objects.filter(pk=world["parties"][0].pk).update(name=SCRIPT)
    pages = [
        "/",
        "/?officials=separate",
        "/claims/",
        "/issues/issue-0/",
        "/actors/party-0/",
        "/actors/",
        "/rounds/round-0/",
        "/demands/demand-0/",
        "/sources/source/",
        "/search/?q=issue",  # a word outside the script: a marked word would split its text
        f"/stances/{Stance.objects.get(actor=world['parties'][0]).pk}/",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<b onmouseover" not in body, url
        assert "&lt;script&gt;alert(&quot;parley&quot;)&lt;/script&gt;" in body, url
    for url in ["/claims.json", "/table.json"]:
        response = client.get(url)
        body = response.content.decode()
        assert response["Content-Type"].startswith("application/json")
        assert "<script" not in body and "\\u003cscript\\u003e" in body, url
        assert SCRIPT in repr(json.loads(body))  # the data itself is intact
    for url in ["/claims.csv", "/table.csv"]:
        response = client.get(url)
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith("attachment")


# --------------------------------------------------------------------------- the loader, from the shell

# Through the shell, the exit status and the message on stderr; every kind of bad input, with the
# place it names, is refused in-process in test_dataset.py (BREAKAGES).
BREAKAGES = {
    "truncated file": (
        "stances.yaml",
        lambda t: t[: len(t) // 3] + '\n  quote: "unclosed',
        r"stances.yaml: malformed YAML",
    ),
    "dangling reference": (
        "demands.yaml",
        lambda t: t.replace("actor: russia", "actor: atlantis", 1),
        "field actor: refers to actor 'atlantis'",
    ),
}


def manage(env, *args):
    """Run manage.py as an operator would, in its own process and database."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def operator_env(tmp_path_factory):
    """A SQLite file migrated and loaded by the real commands."""
    base = tmp_path_factory.mktemp("cli")
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{base / 'parley.sqlite3'}"}
    for command in (["migrate", "-v0"], ["load_dataset", "-v0"]):
        assert manage(env, *command).returncode == 0
    LOADED[env["DATABASE_URL"]] = dump(env)  # what every refused load must leave as it was
    return env


LOADED = {}  # DATABASE_URL: its dump once loaded


def dump(env):
    return manage(env, "dumpdata", "positions", "--indent", "0").stdout


def load_refused(env, fixtures, seeds):
    """Load the broken copy; return stderr after checking it was refused and changed nothing."""
    result = manage(env, "load_dataset", "--fixtures", str(fixtures), "--seeds", str(seeds))
    assert result.returncode != 0
    assert "the dataset was not loaded" in result.stderr
    assert dump(env) == LOADED[env["DATABASE_URL"]]
    return result.stderr


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_a_bad_fixture_exits_non_zero_names_the_record_and_changes_nothing(
    operator_env, dataset_dirs, name
):
    fixtures, seeds = dataset_dirs
    file_name, breaker, expected = BREAKAGES[name]
    path = fixtures / file_name
    path.write_text(breaker(path.read_text(encoding="utf-8")), encoding="utf-8")
    stderr = load_refused(operator_env, fixtures, seeds)
    assert expected in stderr, stderr


def test_a_changed_source_file_exits_non_zero_and_changes_nothing(operator_env, dataset_dirs):
    fixtures, seeds = dataset_dirs
    seed = seeds / "004_157fffc6f3886037.txt"
    seed.write_bytes(seed.read_bytes().replace(b"triathlon", b"marathon"))
    stderr = load_refused(operator_env, fixtures, seeds)
    assert "sources.yaml, record 3 (security-assurances-on-the-table), field sha256" in stderr


@pytest.mark.parametrize("command", [["load_dataset"], ["check_citations"]])
def test_an_unreachable_database_gives_one_readable_line_not_a_traceback(command):
    # Port 1 on the loopback refuses at once: the operator's mistyped DATABASE_URL.
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://postgres@127.0.0.1:1/parley"}
    result = manage(env, *command)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "could not use the database" in result.stderr
    assert "Is the database running, and is DATABASE_URL right?" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3, result.stderr


def test_check_citations_on_an_unmigrated_database_says_to_migrate(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    result = manage(env, "check_citations")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "the database has no Parley tables yet" in result.stderr
    assert "manage.py migrate" in result.stderr
