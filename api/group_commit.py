"""Group commit for the instant check's audit entries.

Every answered instant check is audited first: its request thread waits until the entry
is committed (a failure is the request's failure: 503, no answer). But one write
transaction per check, from 8 threads in each of several processes, made the threads
queue on the SQLite write lock, whose busy handler sleeps in steps of up to 100 ms: the
p99 was set by those sleeps, not by the work. Here one writer thread per process takes
every check waiting at that moment and records them in one transaction per shared
context (`record_screenings`, the function the batch path uses), then wakes each
request. On SQLite, the writers of the API processes also take turns on a file lock,
which wakes the next one as soon as it is released instead of after a sleep.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import Connection
from sqlalchemy.engine import make_url

from matching.engine import Engine
from workers.compliance.db import Database
from workers.compliance.errors import StoreUnavailable
from workers.compliance.store import Context, Screening, record_screenings

log = logging.getLogger("screening.api")

MAX_GROUP = 64  # checks per transaction at most (bounds one transaction's lock hold)


class _Outcome:
    """One check's wait for its write: a lock the writer releases once (a C-level
    hand-off; concurrent.futures.Future's condition variable cost several times more
    per check). Settled only by the writer thread, waited on by one request thread."""

    __slots__ = ("_error", "_lock", "_settled", "_value")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lock.acquire()
        self._settled = False
        self._value: str | None = None
        self._error: BaseException | None = None

    def done(self) -> bool:
        return self._settled

    def set_result(self, value: str) -> None:
        self._value = value
        self._settle()

    def set_exception(self, error: BaseException) -> None:
        self._error = error
        self._settle()

    def _settle(self) -> None:
        if self._settled:
            raise RuntimeError("an audit write outcome is settled once")
        self._settled = True
        self._lock.release()

    def result(self) -> str:
        self._lock.acquire()  # until the writer settles it
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


@dataclass(slots=True)
class _Pending:
    engine: Engine
    context: Context
    screening: Screening
    done: _Outcome = field(default_factory=_Outcome)


def _group_key(p: _Pending) -> tuple[Any, ...]:
    c = p.context
    return (id(p.engine), c.tenant, c.source, c.actor, tuple(c.list_versions), c.threshold,
            c.limit, tuple(c.lists) if c.lists is not None else None, c.job_id,
            tuple(sorted(c.algorithm.items())))


class GroupCommit:
    """Records screenings through one writer thread per process (started on first use,
    so also in each process forked after the app was built)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        self._started_in: int | None = None
        self._start_lock = threading.Lock()
        path = make_url(db.url).database if db.dialect == "sqlite" else None
        self._lock_path = f"{path}.write-lock" if path and path != ":memory:" else None

    def record(self, engine: Engine, context: Context, screening: Screening) -> str:
        """Blocks until the screening and its audit entry are committed; returns the time
        recorded, or raises what the write raised."""
        self._ensure_writer()
        pending = _Pending(engine, context, screening)
        self._queue.put(pending)
        return pending.done.result()

    def _ensure_writer(self) -> None:
        pid = os.getpid()
        if self._started_in == pid:
            return
        with self._start_lock:
            if self._started_in != pid:
                # A forked child inherits neither the thread nor anything it was given.
                self._queue = queue.SimpleQueue()
                threading.Thread(target=self._run, name="audit-group-commit",
                                 daemon=True).start()
                self._started_in = pid

    def _run(self) -> None:
        held = _Held()  # this thread's own: the queue is its only way in
        try:
            while True:
                batch = [self._queue.get()]
                while len(batch) < MAX_GROUP:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                try:
                    groups: dict[tuple[Any, ...], list[_Pending]] = {}
                    for p in batch:
                        groups.setdefault(_group_key(p), []).append(p)
                    for items in groups.values():
                        self._write(items, held)
                except BaseException as exc:  # never leave a request waiting for ever
                    for p in batch:
                        if not p.done.done():
                            p.done.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
        finally:
            held.close()

    def _write(self, items: list[_Pending], held: _Held) -> None:
        try:
            with self._turn(held):
                at = record_screenings(self.db, items[0].engine, items[0].context,
                                       [p.screening for p in items],
                                       connection=held.connection(self.db))
        except StoreUnavailable as exc:  # the database is down: every waiting check fails
            held.drop()
            for p in items:
                p.done.set_exception(exc)
        except Exception as exc:
            held.drop()  # whatever state it is in, the next transaction starts afresh
            if len(items) == 1:
                items[0].done.set_exception(exc)
                return
            # Nothing was recorded (one transaction): one bad screening must not fail
            # the others, so each is tried on its own.
            log.warning("a grouped audit write failed; writing its checks one by one",
                        extra={"error": type(exc).__name__, "checks": len(items)})
            for p in items:
                self._write([p], held)
        else:
            for p in items:
                p.done.set_result(at)

    @contextlib.contextmanager
    def _turn(self, held: _Held) -> Iterator[None]:
        fh = held.lock_file(self._lock_path) if self._lock_path else None
        if fh is None:  # no directory: the write itself says what is wrong (503)
            yield
            return
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class _Held:
    """What a writer thread keeps open between its transactions instead of opening per
    group of checks: the database connection (where `Database.hold_write_connection`
    gives one) and the SQLite write-turn lock file. Together about 0.1 ms of CPU per
    group (the pool's checkout and return, an open and a close)."""

    def __init__(self) -> None:
        self._connection: Connection | None = None
        self._lock_file: IO[str] | None = None

    def connection(self, db: Database) -> Connection | None:
        if self._connection is None:
            self._connection = db.hold_write_connection()
        return self._connection

    def lock_file(self, path: str) -> IO[str] | None:
        if self._lock_file is None:
            try:
                self._lock_file = open(path, "a")  # noqa: SIM115 (held: closed in close())
            except OSError:
                return None
        return self._lock_file

    def drop(self) -> None:
        """After a failed transaction: the next one takes a fresh connection."""
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # already broken: nothing to keep
                connection.close()

    def close(self) -> None:
        self.drop()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None


_WRITERS: dict[int, tuple[Database, GroupCommit]] = {}
_WRITERS_LOCK = threading.Lock()


def group_commit(db: Database) -> GroupCommit:
    """The process's GroupCommit for `db`."""
    with _WRITERS_LOCK:
        found = _WRITERS.get(id(db))
        if found is None or found[0] is not db:
            found = (db, GroupCommit(db))
            _WRITERS[id(db)] = found
        return found[1]
