import importlib
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True, scope="session")
def quick_passwords():
    """Tests make and sign in many users: hash their passwords the quick way (the production
    hasher's million rounds of PBKDF2 are for real passwords, and checked by test_deploy.py)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, and with
    it the dataset version that keys cached pages."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --------------------------------------------------------------------------- shared data
@contextmanager
def kept(django_db_blocker):
    """Data written in this block is shared by every test that runs inside it, and rolled back
    at its end: it is written in a transaction that is never committed, and each test runs in a
    savepoint inside it (pytest-django's ``db``), so a test may change the data freely."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="session")
def curated_dataset(django_db_setup, django_db_blocker):
    """The curated dataset from fixtures/ and seeds/, loaded once per test session."""
    with kept(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("load_dataset", verbosity=0)
        yield


@pytest.fixture
def dataset(curated_dataset, db):
    """The curated dataset, as `make run` loads it."""


def commits(item):
    """Whether a test commits: a live server, or ``transaction=True``."""
    return (
        "transactional_db" in item.fixturenames
        or "live_server" in item.fixturenames
        or any(marker.kwargs.get("transaction") for marker in item.iter_markers("django_db"))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The order the tests run in: those that commit (the browser tests, the slowest) first, then
    the others, and those on the shared curated dataset last, since once it is loaded every later
    test sees it. pytest-xdist hands each worker its tests in this order."""
    for item in items:
        if "curated_dataset" in item.fixturenames and commits(item):
            raise pytest.UsageError(f"{item.nodeid}: the shared dataset is never committed")
    items.sort(
        key=lambda item: 2 if "curated_dataset" in item.fixturenames else int(not commits(item))
    )


@pytest.fixture
def dataset_dirs(tmp_path):
    """A private copy of fixtures/ and seeds/ that a test may break."""
    fixtures = tmp_path / "fixtures"
    seeds = tmp_path / "seeds"
    shutil.copytree(settings.PARLEY_FIXTURES_DIR, fixtures)
    shutil.copytree(settings.PARLEY_SEEDS_DIR, seeds)
    return fixtures, seeds


def snapshot():
    """Every row of every Parley table, as plain tuples: equal snapshots mean nothing changed."""
    state = {}
    for model in apps.get_app_config("positions").get_models():
        if model._meta.model_name == "datasetsync":
            continue  # the log of loads and exports, not data
        state[model._meta.label] = sorted(
            tuple(sorted((k, repr(v)) for k, v in row.items())) for row in model.objects.values()
        )
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            state[through._meta.label] = sorted(through.objects.values_list(named=False))
    return state


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser(django_db_setup):  # closed before the test database is dropped
    """Debian's Chromium driven by Playwright (never `playwright install`), started once per test
    session (once per pytest-xdist worker) and shared by every browser test."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        # Playwright's sync API keeps an event loop running in this thread; let the ORM work.
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield b
            b.close()
    # The live server's request threads keep a database connection while the browser keeps their
    # socket open; with the browser closed they finish, so the test database can be dropped.
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def ensure_roles():
    """The Curator and Editor groups, made by the migration's own code. Transactional tests flush
    every table, the migration's data included, so tests that need the roles call this."""
    importlib.import_module(
        "positions.migrations.0001_squashed_0011_forecasts_and_aliases"
    ).make_roles(apps, None)


def make_user(name, group=None, **extra):
    """A staff user in a role (Curator, Editor), whose password is "pw-<name>"."""
    from django.contrib.auth.models import Group, User

    ensure_roles()
    user = User.objects.create_user(name, password="pw-" + name, is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def curator_user(db):
    return make_user("curator", "Curator")


@pytest.fixture
def editor_user(db):
    return make_user("editor", "Editor")


@pytest.fixture
def curator(client, curator_user):
    """The test client, signed in as a curator."""
    client.force_login(curator_user)
    return client


STAFF = {"curator": "Curator", "curator2": "Curator", "editor": "Editor"}


@pytest.fixture
def staff_site(live_server):
    """The live site with the dataset loaded and staff who sign in as "<name>"/"<name>-password-1":
    two curators and an editor."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    call_command("load_dataset", verbosity=0)
    ensure_roles()
    for name, group in STAFF.items():
        user = User.objects.create_user(name, password=f"{name}-password-1", is_staff=True)
        user.groups.add(Group.objects.get(name=group))
    return live_server.url


def log_in(page, site, name):
    """Sign in to the admin as one of STAFF, in the browser."""
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(f"{name}-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def autocomplete(page, field_id, text):
    """Pick ``text`` in an admin autocomplete (select2) field."""
    page.locator(f"[aria-labelledby='select2-{field_id}-container']").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def fill_stance(page, actor, issue, code, summary, source, quote, talk_round=None):
    """Fill the admin's add form of a stance, with one citation, as a curator would."""
    autocomplete(page, "id_actor", actor)
    autocomplete(page, "id_issue", issue)
    if talk_round:
        autocomplete(page, "id_talk_round", talk_round)
    page.get_by_label("Stance:").select_option(code)
    page.get_by_label("Summary:").fill(summary)
    page.get_by_label("Attribution:").select_option("reported")
    autocomplete(page, "id_citations-0-source", source)
    page.locator("#id_citations-0-quote").fill(quote)
