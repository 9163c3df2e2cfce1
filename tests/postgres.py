"""A throwaway PostgreSQL server for tests: initdb into a temporary directory, start
`postgres` on a free loopback port (Unix socket in the same directory), drop it all at
the end. PostgreSQL refuses to run as root, so under root (CI) the server runs as an
unprivileged user (`postgres` if it exists, else `nobody`) through `runuser`."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from api.embedded_redis import free_port


def binaries() -> Path | None:
    """The directory holding initdb and postgres, or None."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in [Path("/usr/local/bin"), *debian]:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "postgres").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("postgres") else None


def _runas() -> list[str]:
    if os.geteuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
            return ["runuser", "-u", user, "--"]
        except KeyError:
            continue
    raise RuntimeError("running as root and no unprivileged user to run PostgreSQL as")


class PostgresServer:
    """`durable=False` (tests): no fsync and no full-page writes, for speed. Benchmarks
    pass `durable=True`: the server's defaults, what production runs."""

    def __init__(self, bindir: Path, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable
        self.dir = Path(tempfile.mkdtemp(prefix="screening-pg-"))
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://screening@127.0.0.1:{self.port}/postgres"

    def start(self) -> str:
        runas = _runas()
        data = self.dir / "data"
        if runas:
            user = runas[2]
            shutil.chown(self.dir, user)
            self.dir.chmod(0o700)
        log = self.dir / "initdb.log"
        with log.open("wb") as out:
            subprocess.run([*runas, str(self.bindir / "initdb"), "-D", str(data), "-U",
                            "screening", "--auth=trust", "-E", "UTF8", "--no-sync"],
                           check=True, stdout=out, stderr=subprocess.STDOUT)
        server_log = (self.dir / "server.log").open("ab")
        self.proc = subprocess.Popen(
            [*runas, str(self.bindir / "postgres"), "-D", str(data), "-p", str(self.port),
             "-h", "127.0.0.1", "-k", str(self.dir), "-c", "max_connections=60",
             *([] if self.durable else ["-F", "-c", "fsync=off", "-c", "full_page_writes=off"])],
            stdout=server_log, stderr=subprocess.STDOUT)
        self._wait()
        return self.url

    def _wait(self, timeout: float = 60.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError("postgres exited: "
                                   + (self.dir / "server.log").read_text()[-2000:])
            try:
                psycopg.connect(f"host=127.0.0.1 port={self.port} user=screening "
                                "dbname=postgres", connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=screening "
                             "dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://screening@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            # SIGINT to the postmaster itself: a fast shutdown, which disconnects clients
            # (SIGTERM's smart shutdown would wait for pooled connections that tests
            # still hold; and runuser, in between under root, does not forward SIGINT).
            pidfile = self.dir / "data" / "postmaster.pid"
            try:
                os.kill(int(pidfile.read_text().split()[0]), signal.SIGINT)
            except (OSError, ValueError, IndexError):
                self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
