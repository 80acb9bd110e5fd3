"""schemathesis (from PyPI) against the meetings server's own ``/openapi.json``: every operation,
as a host, as a participant and with no token, with data that fits the schema and data that does
not. It must find no 5xx, no status the document does not list, no content type it does not
declare and no response outside its schema.

The ``{id}`` of the meeting routes is a real meeting (the host created it, the participant
joined), so the requests reach the domain instead of stopping at 404; every other value is
schemathesis' own. A failing run shows schemathesis' report of what it found and how to reproduce it.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Meetings

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
MAX_EXAMPLES = 25  # per operation and run: the six runs take about a minute here
LAST = "/(end|leave)$"
RUN_TIMEOUT = 300.0  # s, per run


def schemathesis() -> str:
    found = shutil.which("schemathesis", path=str(pathlib.Path(sys.executable).parent))
    if found is None:
        pytest.skip("schemathesis is not installed in this venv (Tests/interop/requirements.txt lists it)")
    return found


@pytest.mark.parametrize("who", ["host", "participant", "anonymous"])
def test_schemathesis_finds_nothing(meetings: Meetings, who: str, tmp_path: pathlib.Path):
    host = meetings.token("st-host", name="Host")
    participant = meetings.token("st-participant", name="Participant")
    mid = meetings.create_meeting(host, "Fuzzed")["id"]
    for token in (host, participant):
        meetings.rest("POST", f"/api/meetings/{mid}/join", token)
    token = {"host": host, "participant": participant, "anonymous": None}[who]

    config = tmp_path / "schemathesis.toml"
    lines = [
        f"[parameters]",
        f'"path.id" = "{mid}"',
    ]
    if token is not None:
        lines.insert(0, f'headers = {{ Authorization = "Bearer {token}" }}')
    config.write_text("\n".join(lines) + "\n")
    # Leaving and ending change the meeting for every later request (403, 410): they run last.
    for selection in (["--exclude-path-regex", LAST], ["--include-path-regex", LAST]):
        argv = [
            schemathesis(), "--config-file", str(config), "run", meetings.url + "/openapi.json", *selection,
            "--checks", CHECKS, "--max-examples", str(MAX_EXAMPLES), "--seed", "15",
            "--workers", "1", "--no-color", "--request-timeout", "10",
        ]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=RUN_TIMEOUT, cwd=tmp_path)
        assert proc.returncode == 0, (
            f"schemathesis as {who} ({' '.join(selection)}) found problems (exit {proc.returncode}):\n"
            f"{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
        )
        assert "Tested:" in proc.stdout and " passed" in proc.stdout, proc.stdout[-3000:]
