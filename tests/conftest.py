import importlib
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, and with
    it the dataset version that keys cached pages."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def get_counted(client, django_assert_num_queries):
    """GET a URL, holding it to its number of queries and a 200: the one harness of the
    query-count pins (each parametrised over the size of the data)."""

    def get(url, expected):
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


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
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        # Playwright's sync API keeps an event loop running in this thread; let the ORM work.
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield b
            b.close()


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
    importlib.import_module("positions.migrations.0003_roles").make_roles(apps, None)


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
