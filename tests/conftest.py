import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


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
        state[model._meta.label] = sorted(
            tuple(sorted((k, repr(v)) for k, v in row.items())) for row in model.objects.values()
        )
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            state[through._meta.label] = sorted(through.objects.values_list(named=False))
    return state
