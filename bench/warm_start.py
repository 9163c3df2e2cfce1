"""One cold process: import the service code, then get every list ready through the
registry (the saved index when valid). Prints JSON timings; used by engine_bench.py.

    SCREENING_DATA_DIR=... python bench/warm_start.py SPEC [SPEC ...]
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import rss_mb  # noqa: E402
from workers import registry  # noqa: E402


def main() -> int:
    imported = time.perf_counter()
    _, engine = registry.build_engine(sys.argv[1:])
    done = time.perf_counter()
    print(json.dumps({
        "imports_s": round(imported - STARTED, 3),
        "ready_s": round(done - imported, 3),
        "total_s": round(done - STARTED, 3),
        "entities": engine.entity_count,
        "rss_mb": round(rss_mb()),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
