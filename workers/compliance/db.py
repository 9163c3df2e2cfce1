"""Connections to the compliance database and its migrations.

`Database(url)` owns the engines. `write()` is a transaction that takes the write lock at
once (SQLite `BEGIN IMMEDIATE`: several processes share the file, and a read that later
writes must not fail to upgrade its lock); `read()` is a plain one. Any failure to reach
the database surfaces as `StoreUnavailable`, which the API answers with 503 + Retry-After.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from workers import settings
from workers.compliance.errors import StoreUnavailable

log = logging.getLogger("screening.compliance")

MIGRATIONS = Path(__file__).with_name("migrations")
UNREACHABLE = ("the compliance database does not answer: check that it is running and that "
               "SCREENING_DATABASE_URL points at it")
_PG_MIGRATION_LOCK = 0x5C11  # pg_advisory_lock key: one migrator at a time


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cur.execute("PRAGMA synchronous=NORMAL")  # durable with WAL, far fewer fsyncs
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """The compliance database at `url` (a SQLAlchemy URL)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect = make_url(url).get_backend_name()
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(url, immediate=False)
            self._write_engine = _sqlite_engine(url, immediate=True)
        else:
            # A bounded connect: an unreachable server must make /readyz and the
            # endpoints answer 503 in seconds, not hang on the OS's TCP timeout.
            args = {"connect_timeout": 5} if self.dialect == "postgresql" else {}
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                                        connect_args=args)
            self._write_engine = self.engine
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self._write_engine, expire_on_commit=False)

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with _translated(), self._read() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction, committed on success, rolled back on any error."""
        with _translated(), self._write() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write_connection(self, held: Connection | None = None) -> Iterator[Connection]:
        """`write()` on a Core connection, without an ORM Session: for writers that run
        only driver statements (recording screenings), where the Session's bookkeeping
        cost more than the transaction's own statements (the instant check's audit
        write: about half its CPU). On `held` (from `hold_write_connection`) if given."""
        if held is None:
            with _translated(), self._write_engine.begin() as connection:
                yield connection
        else:
            with _translated(), held.begin():
                yield held

    def hold_write_connection(self) -> Connection | None:
        """A write connection for one thread to keep across its transactions (the API's
        audit writer: one small transaction per group of checks), or None where the
        pool must hand out each transaction's connection. On SQLite the pool keeps its
        connections open anyway, so holding one changes nothing but the checkout and
        return per transaction; on a server, the pool's pre-ping replaces a connection
        the server dropped, which a held one would skip. The holder closes it after any
        failed transaction."""
        if self.dialect != "sqlite":
            return None
        with _translated():
            return self._write_engine.connect()

    def dispose(self) -> None:
        self.engine.dispose()
        if self._write_engine is not self.engine:
            self._write_engine.dispose()

    def problem(self) -> str | None:
        """None when the database answers and is migrated to the code's schema; else
        what is wrong and what to do (for /readyz: a screening is never answered
        without its audit entry, so no database means not ready)."""
        from alembic.runtime.migration import MigrationContext

        try:
            with self.read() as session:
                revision = MigrationContext.configure(
                    session.connection()).get_current_revision()
        except StoreUnavailable:
            return UNREACHABLE
        except DBAPIError as exc:
            return (f"the compliance database refused the check ({type(exc.orig).__name__}): "
                    "check SCREENING_DATABASE_URL and the database user's rights")
        head = head_revision()
        if revision != head:
            return (f"the compliance database is at migration {revision or 'none'}, the code "
                    f"needs {head}: run `screening db upgrade`")
        return None


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        log.error("compliance database unavailable", extra={"error": type(exc.orig).__name__})
        raise StoreUnavailable(
            "The compliance database is unavailable: nothing was recorded. Retry in a few "
            "seconds; if it persists, tell the operator (check SCREENING_DATABASE_URL)."
        ) from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise StoreUnavailable(
                "The connection to the compliance database was lost: nothing was recorded. "
                "Retry in a few seconds."
            ) from exc
        raise


Transaction = Session | Connection  # what the driver-statement helpers run in


def connection_of(tx: Transaction) -> Connection:
    """The Core connection of a write transaction (a Session's, or the connection)."""
    return tx if isinstance(tx, Connection) else tx.connection()


@lru_cache(maxsize=4)
def get_database(url: str | None = None) -> Database:
    """One Database per URL per process (default: the configured one)."""
    return Database(url or settings.database_url())


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> str:
    """Apply every pending migration (idempotent; safe when several processes start at
    once: PostgreSQL takes an advisory lock, SQLite a file lock). Returns the revision."""
    from alembic import command

    url = url or settings.database_url()
    config = alembic_config(url)
    if make_url(url).get_backend_name() == "sqlite":
        path = make_url(url).database
        if not path or path == ":memory:":
            raise SystemExit("SCREENING_DATABASE_URL: an in-memory SQLite cannot be shared")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(f"{path}.migrate-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            command.upgrade(config, revision)
    else:
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
                conn.commit()
                try:
                    config.attributes["connection"] = conn
                    command.upgrade(config, revision)
                    conn.commit()
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATION_LOCK})
                    conn.commit()
        finally:
            engine.dispose()
    return current_revision(url) or ""


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """The newest migration this code ships."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
