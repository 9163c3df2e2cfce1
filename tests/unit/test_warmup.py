"""The API's list warm-up thread and process exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The warm-up stands in for a slow list build; the main thread exits at once.
EXIT_DURING_WARMUP = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from api import warmup

    def slow_build():
        time.sleep(1.0)
        Path(sys.argv[1]).write_text("built")

    warmup.engines.current_engine = slow_build
    warmup.ListWarmup().start()
    """
)


def test_exit_waits_for_a_running_warmup(tmp_path: Path) -> None:
    # A daemon thread cut off mid-build (inside C++ code) aborts the process at
    # finalisation; exiting must let the build finish first.
    marker = tmp_path / "built"
    proc = subprocess.run(
        [sys.executable, "-c", EXIT_DURING_WARMUP, str(marker)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert marker.read_text() == "built", "the process exited before the warm-up finished"
