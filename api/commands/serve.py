"""`screening serve`: the whole service on one machine: an embedded Redis (unless
SCREENING_REDIS_URL is set), N Celery workers and the HTTP API, supervised together.

Every child, the embedded Redis included, is restarted when it dies, after a growing
delay (1 s, 2 s, 4 s... up to 30 s), and each restart is printed. A child that crashes
more than SCREENING_MAX_RESTARTS_PER_MINUTE times in a minute, or exits with the
configuration-error status 78, stops serve with a clear message instead of restarting
forever. The Redis URL is recorded in `<data-dir>/redis.url` (0600), so `screening`
commands run with the same data directory find the service. Ctrl-C or SIGTERM stops
every child; no redis-server is left behind."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from api import settings
from api.processes import spawn, stop

EX_CONFIG = 78  # sysexits.h: a child refusing its configuration; restarting cannot help
MAX_BACKOFF = 30.0
STABLE_SECONDS = 60.0


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="run the API, workers and an embedded Redis together")
    p.add_argument("--host", default=settings.HOST,
                   help="address the API listens on (env SCREENING_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, default=settings.PORT,
                   help="API port (env SCREENING_PORT, default 8000)")
    p.add_argument("--data-dir", default=str(settings.DATA_DIR),
                   help="Redis AOF, list snapshots and the dev API key (env SCREENING_DATA_DIR)")
    p.add_argument("--workers", type=int, default=settings.WORKERS,
                   help="worker processes (env SCREENING_WORKERS, default 1)")
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


class CrashLoop(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop()


def say(message: str) -> None:
    print(f"screening serve: {message}", flush=True)


class Supervised:
    """One child: restarted with backoff when it dies, until it crash-loops."""

    def __init__(self, name: str, start: Callable[[], None], alive: Callable[[], bool],
                 exit_code: Callable[[], int | None]) -> None:
        self.name, self._start, self.alive, self.exit_code = name, start, alive, exit_code
        self.crashes: deque[float] = deque()
        self.started_at = 0.0
        self.restart_at: float | None = None

    def start(self) -> None:
        self.started_at = time.monotonic()
        self._start()

    def check(self, now: float) -> None:
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restart_at = None
                try:
                    self.start()
                    say(f"{self.name} restarted")
                except RuntimeError as exc:
                    say(f"{self.name} failed to restart: {exc}")
                    self._crashed(now, None)
            return
        if self.alive():
            return
        self._crashed(now, self.exit_code())

    def _crashed(self, now: float, code: int | None) -> None:
        if code == EX_CONFIG:
            raise CrashLoop(f"{self.name} refused its configuration (see its message above); "
                            "fix it and start again")
        if now - self.started_at > STABLE_SECONDS:
            self.crashes.clear()  # it ran well for a while: start the backoff over
        self.crashes.append(now)
        while self.crashes and now - self.crashes[0] > 60:
            self.crashes.popleft()
        if len(self.crashes) > settings.MAX_RESTARTS_PER_MINUTE:
            raise CrashLoop(
                f"{self.name} keeps crashing ({len(self.crashes)} times in the last minute, "
                f"last exit code {code}); not restarting it again. Its messages above say "
                "why; fix the cause and start again")
        delay = min(MAX_BACKOFF, 2.0 ** (len(self.crashes) - 1))
        say(f"{self.name} exited with code {code}; restarting it in {delay:g} s "
            f"(crash {len(self.crashes)} in the last minute)")
        self.restart_at = now + delay


def _check_port(host: str, port: int) -> None:
    from api.embedded_redis import port_is_free

    if not port_is_free(port, host):
        raise SystemExit(
            f"screening serve: port {port} on {host} is already in use (another screening "
            "serve?): stop that process, or choose another port with --port or SCREENING_PORT."
        )


def run(args: argparse.Namespace) -> int:
    from api.embedded_redis import EmbeddedRedis, make_private_dir, write_private
    from workers import settings as wsettings  # bad worker settings stop us here, clearly

    if args.workers < 1:
        raise SystemExit("screening serve: --workers must be at least 1")
    _check_port(args.host, args.port)
    data_dir = Path(args.data_dir).resolve()
    make_private_dir(data_dir)
    env = dict(os.environ, SCREENING_DATA_DIR=str(data_dir))
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)

    embedded: EmbeddedRedis | None = None
    children: dict[str, subprocess.Popen[bytes]] = {}
    supervised: list[Supervised] = []
    code = 0
    try:
        if not env.get("SCREENING_REDIS_URL"):
            embedded = EmbeddedRedis(data_dir / "redis")
            env["SCREENING_REDIS_URL"] = embedded.start()
            print(f"embedded Redis on 127.0.0.1:{embedded.port} (AOF in {embedded.dir}, "
                  "password in its `password` file)", flush=True)
            redis_ = embedded

            def start_redis() -> None:
                redis_.start()

            supervised.append(Supervised(
                "embedded Redis", start_redis, redis_.alive,
                lambda: redis_.proc.returncode if redis_.proc else None))
        write_private(data_dir / wsettings.SERVICE_URL_FILE, env["SCREENING_REDIS_URL"] + "\n")
        env.setdefault("SCREENING_METRICS_TOKEN", _metrics_token(data_dir))
        os.environ.update(env)
        from workers import settings as wsettings
        from workers.compliance.db import upgrade

        database_url = wsettings.database_url(data_dir)
        revision = upgrade(database_url)
        print(f"compliance database migrated to revision {revision}", flush=True)
        key_file = _dev_key(data_dir, database_url)

        me = [sys.executable, "-m", "api.cli"]
        commands = {f"worker-{i}": [*me, "worker"] for i in range(1, args.workers + 1)}
        commands["api"] = [*me, "api", "--host", args.host, "--port", str(args.port)]
        if args.api_processes is not None:
            commands["api"] += ["--processes", str(args.api_processes)]
        for name, argv in commands.items():
            supervised.append(_child(name, argv, env, children))
        for child in supervised[1 if embedded else 0:]:
            child.start()
        print(
            f"screening service starting on http://{args.host}:{args.port} "
            f"(docs at /docs, readiness at /readyz); {args.workers} worker(s).\n"
            f"Development API key: {key_file}. Press Ctrl-C to stop.",
            flush=True,
        )
        while True:
            time.sleep(0.5)
            now = time.monotonic()
            for child in supervised:
                child.check(now)
    except (_Stop, KeyboardInterrupt):
        print("stopping...", flush=True)
    except CrashLoop as exc:
        say(f"stopping: {exc}.")
        code = 1
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
    return code


def _child(name: str, argv: list[str], env: dict[str, str],
           children: dict[str, subprocess.Popen[bytes]]) -> Supervised:
    def start() -> None:
        children[name] = spawn(argv, env=env)

    def alive() -> bool:
        return children[name].poll() is None

    return Supervised(name, start, alive, lambda: children[name].returncode)


def _dev_key(data_dir: Path, database_url: str, store: Any = None) -> Path:
    """Create (once) the local development tenant and save its key for curl examples.
    Its creation and key rotations are audited as for any tenant (`screening tenants`)."""
    from api.commands.tenants import audit_change
    from api.tenants import ensure_dev_tenant

    ensure_dev_tenant(data_dir, store=store, on_change=lambda kind, action, tenant:
                      audit_change(kind, action, tenant, "operator:serve", database_url))
    return data_dir / "dev-api-key"


def _metrics_token(data_dir: Path) -> str:
    """The scraper's token for /metrics, generated once and kept 0600 in the data dir."""
    import secrets

    from api.embedded_redis import write_private

    path = data_dir / "metrics-token"
    if path.is_file() and path.read_text(encoding="utf-8").strip():
        return path.read_text(encoding="utf-8").strip()
    token = secrets.token_urlsafe(32)
    write_private(path, token + "\n")
    return token
