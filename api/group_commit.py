"""Group commit for the instant check's audit entries.

Every answered instant check is audited first: its request thread waits until the entry
is committed (a failure is the request's failure: 503, no answer). But one write
transaction per check, from 8 threads in each of several processes, made the threads
queue on the SQLite write lock, whose busy handler sleeps in steps of up to 100 ms: the
p99 was set by those sleeps, not by the work. Here the checks waiting at one moment are
recorded in one transaction per shared context (`record_screenings`, the function the
batch path uses). On SQLite, the writing threads of the API processes also take turns on
a file lock, which wakes the next one as soon as it is released instead of after a sleep.

Who writes: the request thread that finds nobody writing leads. It writes every check
queued by then (its own included), and the checks that other threads queue meanwhile wait
for it. Once its own check is written it hands the lead to the oldest waiting check's
thread, or, with nothing waiting, gives it up. An uncontended check is so written by its
own thread, with no hand-off to a writer thread and back (a writer thread cost two
thread wake-ups per check, and every wake-up is a GIL hand-off); a leader never writes
for others for longer than it takes to reach its own check.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy.engine import make_url

from matching.engine import Engine
from workers.compliance.db import Database
from workers.compliance.errors import StoreUnavailable
from workers.compliance.store import Context, Screening, record_screenings

log = logging.getLogger("screening.api")

MAX_GROUP = 64  # checks per transaction at most (bounds one transaction's lock hold)


class _Outcome:
    """One check's wait: a lock released once its write is settled, or earlier to hand
    its thread the lead (a C-level hand-off; concurrent.futures.Future's condition
    variable cost several times more per check). Waited on by one request thread."""

    __slots__ = ("_error", "_lock", "_settled", "_value", "lead")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lock.acquire()
        self._settled = False
        self._value: str | None = None
        self._error: BaseException | None = None
        self.lead = False  # woken to write, not settled

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

    def hand_lead(self) -> None:
        self.lead = True
        self._lock.release()

    def wait(self) -> bool:
        """Block until settled (True) or handed the lead (False)."""
        self._lock.acquire()
        if self.lead:
            self.lead = False  # the lock is held again: the next wait blocks
            return False
        return True

    def result(self) -> str:
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
    """Records screenings in groups, written by the request threads themselves, one
    leader at a time per process (see the module doc)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        path = make_url(db.url).database if db.dialect == "sqlite" else None
        self._lock_path = f"{path}.write-lock" if path and path != ":memory:" else None
        self._lock_file: IO[str] | None = None
        self._after_fork()
        _INSTANCES.add(self)

    def _after_fork(self) -> None:
        # A forked child inherits no leader (nor the parent's waiting checks), and must
        # not share the parent's open lock file: a flock lock belongs to the open file,
        # so the two processes would not exclude each other.
        self._mutex = threading.Lock()
        self._waiting: list[_Pending] = []
        self._leading = False
        if self._lock_file is not None:
            with contextlib.suppress(OSError):
                self._lock_file.close()  # this copy only: the parent's lock is unaffected
            self._lock_file = None

    def record(self, engine: Engine, context: Context, screening: Screening) -> str:
        """Blocks until the screening and its audit entry are committed; returns the time
        recorded, or raises what the write raised."""
        pending = _Pending(engine, context, screening)
        with self._mutex:
            self._waiting.append(pending)
            lead = not self._leading
            self._leading = True
        if lead:
            self._lead(pending)
        while not pending.done.wait():
            self._lead(pending)
        return pending.done.result()

    def _lead(self, mine: _Pending) -> None:
        """Write the queued checks until `mine` is written, then pass the lead on."""
        try:
            while not mine.done.done():
                with self._mutex:
                    batch = self._waiting[:MAX_GROUP]
                    del self._waiting[:MAX_GROUP]
                if not batch:  # cannot happen: only the leader takes checks, mine among them
                    raise RuntimeError("the audit group commit lost a check")
                self._write_batch(batch)
        finally:
            with self._mutex:
                following = self._waiting[0] if self._waiting else None
                self._leading = following is not None
            if following is not None:
                following.done.hand_lead()

    def _write_batch(self, batch: list[_Pending]) -> None:
        try:
            groups: dict[tuple[Any, ...], list[_Pending]] = {}
            for p in batch:
                groups.setdefault(_group_key(p), []).append(p)
            for items in groups.values():
                self._write(items)
        except BaseException as exc:  # never leave a request waiting for ever
            for p in batch:
                if not p.done.done():
                    p.done.set_exception(exc)
            if not isinstance(exc, Exception):
                raise

    def _write(self, items: list[_Pending]) -> None:
        try:
            with self._turn():
                at = record_screenings(self.db, items[0].engine, items[0].context,
                                       [p.screening for p in items])
        except StoreUnavailable as exc:  # the database is down: every waiting check fails
            for p in items:
                p.done.set_exception(exc)
        except Exception as exc:
            if len(items) == 1:
                items[0].done.set_exception(exc)
                return
            # Nothing was recorded (one transaction): one bad screening must not fail
            # the others, so each is tried on its own.
            log.warning("a grouped audit write failed; writing its checks one by one",
                        extra={"error": type(exc).__name__, "checks": len(items)})
            for p in items:
                self._write([p])
        else:
            for p in items:
                p.done.set_result(at)

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        """The processes' turn on the SQLite file (only the leader calls this, so the
        lock file needs no lock of its own)."""
        if self._lock_file is None and self._lock_path:
            # No directory: the write itself then says what is wrong (503).
            with contextlib.suppress(OSError):
                self._lock_file = open(self._lock_path, "a")  # noqa: SIM115 (kept open)
        fh = self._lock_file
        if fh is None:
            yield
            return
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


_WRITERS: dict[int, tuple[Database, GroupCommit]] = {}
_WRITERS_LOCK = threading.Lock()
_INSTANCES: weakref.WeakSet[GroupCommit] = weakref.WeakSet()


def _reset_after_fork() -> None:
    for writer in list(_INSTANCES):
        writer._after_fork()


os.register_at_fork(after_in_child=_reset_after_fork)


def group_commit(db: Database) -> GroupCommit:
    """The process's GroupCommit for `db`."""
    with _WRITERS_LOCK:
        found = _WRITERS.get(id(db))
        if found is None or found[0] is not db:
            found = (db, GroupCommit(db))
            _WRITERS[id(db)] = found
        return found[1]
