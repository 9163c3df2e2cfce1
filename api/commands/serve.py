"""`screening serve`: the whole service on one machine: an embedded Redis (unless
SCREENING_REDIS_URL is set), N Celery workers and the HTTP API, supervised together.
Ctrl-C or SIGTERM stops every child; no redis-server is left behind."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from api.processes import spawn, stop


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="run the API, workers and an embedded Redis together")
    p.add_argument(
        "--host",
        default=os.environ.get("SCREENING_HOST") or "127.0.0.1",
        help="address the API listens on (env SCREENING_HOST, default 127.0.0.1)",
    )
    p.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("SCREENING_PORT") or 8000),
        help="API port (env SCREENING_PORT, default 8000)",
    )
    p.add_argument(
        "--data-dir",
        default=os.environ.get("SCREENING_DATA_DIR") or ".screening",
        help="Redis AOF, list snapshots and the dev API key (env SCREENING_DATA_DIR)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("SCREENING_WORKERS") or 1),
        help="worker processes (env SCREENING_WORKERS, default 1)",
    )
    p.add_argument(
        "--api-processes",
        type=int,
        default=None,
        help="API processes sharing one engine (env SCREENING_API_PROCESSES, default: one "
        "per CPU)",
    )
    p.set_defaults(func=run)


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop()


def run(args: argparse.Namespace) -> int:
    from api.embedded_redis import EmbeddedRedis

    if args.workers < 1:
        raise SystemExit("screening serve: --workers must be at least 1")
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SCREENING_DATA_DIR=str(data_dir))
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)

    embedded: EmbeddedRedis | None = None
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        if not env.get("SCREENING_REDIS_URL"):
            embedded = EmbeddedRedis(data_dir / "redis")
            env["SCREENING_REDIS_URL"] = embedded.start()
            print(f"embedded Redis on {embedded.url} (AOF in {embedded.dir})", flush=True)
        os.environ.update(env)
        key_file = _dev_key(data_dir)

        me = [sys.executable, "-m", "api.cli"]
        commands = {f"worker-{i}": [*me, "worker"] for i in range(1, args.workers + 1)}
        commands["api"] = [*me, "api", "--host", args.host, "--port", str(args.port)]
        if args.api_processes is not None:
            commands["api"] += ["--processes", str(args.api_processes)]
        for name, argv in commands.items():
            children[name] = spawn(argv, env=env)
        print(
            f"screening service starting on http://{args.host}:{args.port} "
            f"(docs at /docs, readiness at /readyz); {args.workers} worker(s).\n"
            f"Development API key: {key_file}. Press Ctrl-C to stop.",
            flush=True,
        )
        # Supervise: a child that dies is restarted, so accepted jobs keep moving.
        while True:
            time.sleep(1.0)
            for name, proc in list(children.items()):
                if proc.poll() is not None:
                    print(f"{name} exited with code {proc.returncode}; restarting it", flush=True)
                    children[name] = spawn(commands[name], env=env)
    except (_Stop, KeyboardInterrupt):
        print("stopping...", flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for proc in children.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in children.values():
            stop(proc)
        if embedded is not None:
            embedded.stop()
        print("stopped.", flush=True)
    return 0


def _dev_key(data_dir: Path) -> Path:
    """Create (once) the local development tenant and save its key for curl examples."""
    from api.tenants import ensure_dev_tenant

    ensure_dev_tenant(data_dir)
    return data_dir / "dev-api-key"
