"""Every page type is valid HTML according to the Nu Html Checker (vnu.jar, run once for all)."""

import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from positions.models import Response, Stance
from tests.pages import PAGE_TYPES, PAGED, small_pages

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.django_db
def test_every_page_type_is_valid_html(client, tmp_path, monkeypatch, dataset):
    assert VNU.exists(), "run `make test` (npm install) to get the Nu Html Checker"
    small_pages(monkeypatch)  # so that the page links show on the comparison and an issue
    urls = {**PAGE_TYPES, **PAGED}
    urls["stance"] = Stance.objects.published().first().get_absolute_url()
    urls["response"] = Response.objects.published().first().get_absolute_url()
    files = []
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    readable = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages
    ]
    assert readable == []
