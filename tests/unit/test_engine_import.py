from __future__ import annotations

import json
import subprocess
import sys


def test_matching_never_imports_service_frameworks() -> None:
    code = (
        "import sys, json, matching, matching.engine, matching.batch, matching.records\n"
        "print(json.dumps(sorted(m for m in ('flask', 'celery', 'redis', 'kombu', 'api',"
        " 'workers') if m in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert json.loads(out) == []
