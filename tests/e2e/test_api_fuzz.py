"""Schemathesis against the live server's OpenAPI schema: no 5xx, responses match the schema.

Bounded (a few examples per operation, a fixed seed) so it stays fast and repeatable in CI.
"""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _token(base_url: str, username: str) -> str:
    request = urllib.request.Request(
        f"{base_url}/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": "changde2026"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["token"]


@pytest.mark.parametrize("username", ["hanshou1", "trainer1"])
def test_api_survives_generated_requests(base_url, username):
    token = _token(base_url, username)
    ARTIFACTS.mkdir(exist_ok=True)
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{base_url}/api/schema/",
        "--header", f"Authorization: Token {token}",
        "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance",
        "--max-examples", os.environ.get("FUZZ_EXAMPLES", "8"),
        "--seed", "2026",
        "--phases", "examples,coverage,fuzzing",
        "--workers", "1",
        "--request-timeout", "30",
        "--exclude-path-regex", "auth/token",
        "--report", "junit", "--report-junit-path", str(ARTIFACTS / f"schemathesis-{username}.xml"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
