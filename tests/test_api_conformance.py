"""The API against its own OpenAPI document, checked by a tool nobody here wrote: Schemathesis,
every operation, every check (`--checks all`: status codes and bodies the document allows,
schema-valid requests accepted, schema-invalid ones refused, no 5xx), over the curated data
served by a live server."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from positions.api.throttling import ClientRateThrottle

pytestmark = pytest.mark.django_db(transaction=True)

ST = Path(sys.executable).with_name("st")


def test_schemathesis_finds_no_failure_with_every_check(live_server, monkeypatch, tmp_path):
    assert ST.exists() or shutil.which("st"), "schemathesis is a test dependency"
    call_command("load_dataset", verbosity=0)
    # The throttle is tested on its own (test_api.py); here it would answer 429 to most cases.
    monkeypatch.setattr(ClientRateThrottle, "allow_request", lambda self, request, view: True)
    run = subprocess.run(
        [
            str(ST),
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "10",
            "--workers",
            "1",
            "--seed",
            "20260106",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    summary = run.stdout[-3000:]
    assert run.returncode == 0, summary
    assert "No issues found" in run.stdout, summary
