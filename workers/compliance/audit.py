"""The audit trail: an append-only hash chain per tenant.

Entry n of a tenant carries `prev_hash` = hash of entry n-1 and `hash` = sha256 over
prev_hash, its own fields and its data exactly as stored. Changing, deleting or
reordering any entry breaks the chain at that entry; `verify` names the first one.
Appends lock the tenant's head row (compliance_audit_heads) for the transaction, so
concurrent writers (API threads, workers) extend the chain one at a time; each computes
its entries' hashes in memory from the head it locked and writes them in one go.

Retention removes whole prefixes of a chain and records the last removed entry's hash as
the chain's floor, so verification still starts from a known hash.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from hashlib import sha256 as _sha256
from typing import Any, cast

import orjson
from psycopg import errors as pg_errors
from psycopg import pq
from psycopg.copy import LibpqWriter
from psycopg.generators import fetch_many
from psycopg.sql import Literal
from sqlalchemy import Connection, Table, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from workers.compliance.db import Database, Transaction, connection_of
from workers.compliance.fingerprints import now_iso
from workers.compliance.models import AuditEntry, AuditHead

GENESIS = "0" * 64
SERVICE_CHAIN = "_service"  # list updates and other events of no one tenant
KINDS = ("screening", "screening_context", "decision", "confirmation", "tenant", "key",
         "list_update")
_COLUMNS = ("tenant", "seq", "kind", "at", "actor", "subject", "data", "prev_hash", "hash")
_SQLITE_INSERT = (f"INSERT INTO compliance_audit ({', '.join(_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * len(_COLUMNS))})")
# Binary COPY: no text escaping on the client, no line parsing on the server.
_PG_COPY = f"COPY compliance_audit ({', '.join(_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
_PG_TYPES = ["text", "int8", "text", "text", "text", "text", "text", "text", "text"]


@dataclass(frozen=True, slots=True)
class Event:
    """One thing to record: `data` must be JSON-serialisable."""

    kind: str
    actor: str | None
    subject: str | None
    data: dict[str, Any]


def entry_hash(prev_hash: str, tenant: str, seq: int, kind: str, at: str,
               actor: str | None, subject: str | None, data: str) -> str:
    # Fields joined by a unit separator: none can hold one (tenant names, kinds and times
    # are ours; actors and subjects are ids and printable user ids).
    # One f-string, hashed in place: this runs once per audit entry.
    return _sha256(f"{prev_hash}\n{tenant}\x1f{seq}\x1f{kind}\x1f{at}\x1f{actor or ''}"
                   f"\x1f{subject or ''}\n{data}".encode()).hexdigest()


def _create_head(session: Transaction, tenant: str) -> None:
    """The tenant's empty chain, unless it exists (concurrent creators: one wins)."""
    connection = connection_of(session)
    module: Any = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(module.insert(AuditHead).values(
        tenant=tenant, seq=0, hash=GENESIS, floor_seq=0, floor_hash=GENESIS
    ).on_conflict_do_nothing())


def driver_query(session: Transaction, sql: str, params: Sequence[Any]) -> list[Any]:
    """Run one statement ("?" placeholders) straight on the transaction's driver
    connection and return its rows. For the few statements every batch chunk runs: Core
    costs a statement build, a cache lookup and result processing each time, several
    times the driver's own cost."""
    connection = connection_of(session)
    if connection.dialect.name not in ("sqlite", "postgresql"):
        return list(connection.exec_driver_sql(sql, tuple(params)).all())
    if connection.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    driver: Any = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        cursor.execute(sql, tuple(params))
        return list(cursor.fetchall()) if cursor.description is not None else []
    finally:
        cursor.close()


def driver_executemany(session: Transaction, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """`driver_query` for one statement run over many rows (the driver's executemany)."""
    connection = connection_of(session)
    if connection.dialect.name not in ("sqlite", "postgresql"):
        connection.exec_driver_sql(sql, [tuple(r) for r in rows])
        return
    if connection.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    driver: Any = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def driver_queries(session: Transaction,
                   statements: Sequence[tuple[str, Sequence[Any]]]) -> list[list[Any]]:
    """`driver_query` for several statements, run in order; on PostgreSQL sent in one
    pipeline (one round trip for all; the server still runs them one after the other, so
    a lock taken by one holds for the next). Returns each statement's rows."""
    connection = connection_of(session)
    if connection.dialect.name != "postgresql":
        return [driver_query(session, sql, params) for sql, params in statements]
    driver: Any = connection.connection.driver_connection
    cursors = [driver.cursor() for _ in statements]
    try:
        with driver.pipeline():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql.replace("?", "%s"), tuple(params))
        return [list(c.fetchall()) if c.description is not None else [] for c in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


def lock_query(session: Transaction, tenant: str) -> tuple[str, tuple[str]]:
    """The statement that takes the tenant's chain lock and reads the chain's end."""
    lock = "" if connection_of(session).dialect.name == "sqlite" else " FOR UPDATE"
    return f"SELECT seq, hash FROM compliance_audit_heads WHERE tenant = ?{lock}", (tenant,)


def lock_chain(session: Transaction, tenant: str) -> tuple[int, str]:
    """Take the tenant's chain lock now (held to the end of the transaction) and return
    the chain's end (seq, hash). Writers take it before they look at what is already
    recorded (a redelivered chunk, decisions on the same hits), so two of them racing
    queue up here and the second sees what the first committed, instead of both
    writing or deadlocking on hit rows. (SQLite has no row locks: its writers hold the
    whole database from BEGIN IMMEDIATE on.)"""
    return lock_chain_and_read(session, tenant, ())[0]


def lock_chain_and_read(session: Transaction, tenant: str,
                        then: Sequence[tuple[str, Sequence[Any]]]
                        ) -> tuple[tuple[int, str], list[list[Any]]]:
    """`lock_chain`, then the statements `then` once the lock is granted, all in one
    round trip on PostgreSQL (the batch path's reads). Returns the chain's end and each
    statement's rows."""
    head = lock_query(session, tenant)
    results = driver_queries(session, [head, *then])
    if not results[0]:  # the tenant's first entry: create its head, then lock it
        _create_head(session, tenant)
        results = driver_queries(session, [head, *then])
    rows = results[0]
    return (int(rows[0][0]), str(rows[0][1])), results[1:]


Entry = tuple[str, str | None, str | None, str]  # kind, actor, subject, data as JSON text


def append(session: Session, tenant: str, events: Sequence[Event],
           at: str | None = None, head: tuple[int, str] | None = None) -> list[dict[str, Any]]:
    """Append events to the tenant's chain inside the caller's write transaction;
    `head` is what `lock_chain` returned if the caller already holds the lock. Returns
    the rows written (as dicts)."""
    # Hashed exactly as stored (verification never re-serialises), so any serialisation
    # will do: orjson's compact UTF-8 JSON is several times faster than json.dumps.
    entries = [(e.kind, e.actor, e.subject, orjson.dumps(e.data).decode()) for e in events]
    rows = append_entries(session, tenant, entries, at, head)
    return [dict(zip(_COLUMNS, row, strict=True)) for row in rows]


def append_entries(session: Transaction, tenant: str, entries: Iterable[Entry],
                   at: str | None = None, head: tuple[int, str] | None = None,
                   meanwhile: Callable[[], object] | None = None,
                   count: int | None = None) -> list[tuple[Any, ...]]:
    """`append` for entries already serialised (the batch path builds each entry's JSON
    once, straight from the screening). Returns the rows written, as tuples in
    `_COLUMNS` order. `entries` may be a lazy iterable of exactly `count` entries: on
    PostgreSQL's overlapped path each is built while the previous ones are on their way.

    At most three statements whatever the number of entries: lock the head, move the
    head, write every entry (the chain computed in memory: no SELECT per entry; on
    PostgreSQL's overlapped path the head's move rides in the COPY's query).
    Driver-level statements, not the ORM nor Core's per-row parameter processing: this
    runs once per batch chunk.

    `meanwhile` (the batch path: work that needs no database, e.g. encoding the chunk's
    results): on PostgreSQL's COPY path the entries are streamed as they are chained
    (the server stores them while the next are built), the transaction's COMMIT is sent
    right behind them, `meanwhile` runs while the server finishes and syncs its log, and
    this returns only once the commit is confirmed (it raises if it failed, and nothing
    was committed). So the append must be the transaction's last statement. Elsewhere
    `meanwhile` is not run and the caller's transaction commits as usual."""
    if count is None:
        entries = list(entries)
        count = len(entries)
    if not count:
        return []
    last, prev = head if head is not None else lock_chain(session, tenant)
    chained = _chain(tenant, at or now_iso(), last, prev, entries)
    connection = connection_of(session)
    if connection.dialect.name == "postgresql" and count > 1 and meanwhile is not None:
        return _stream_and_commit(connection, tenant, last + count, chained, meanwhile)
    rows = list(chained)
    if len(rows) != count:
        raise ValueError(f"{len(rows)} audit entries given, {count} announced")
    _bulk_insert(session, rows, (rows[-1][1], rows[-1][8], tenant))
    return rows


def _chain(tenant: str, at: str, seq: int, prev: str,
           entries: Iterable[Entry]) -> Iterator[tuple[Any, ...]]:
    """The rows of `entries` chained after (seq, prev), in `_COLUMNS` order."""
    for kind, actor, subject, data in entries:
        seq += 1
        digest = entry_hash(prev, tenant, seq, kind, at, actor, subject, data)
        yield (tenant, seq, kind, at, actor, subject, data, prev, digest)
        prev = digest


class _EndWithoutWaiting(LibpqWriter):
    """A COPY writer that sends the end of the data and returns at once, leaving the
    server's answers (the COPY's, then the COMMIT's that follows it in the same query)
    to `_confirm`. On an error it ends the COPY as psycopg does (the server discards it)."""

    def finish(self, exc: BaseException | None = None) -> None:
        if exc is not None:
            super().finish(exc)
            return
        pgconn = self._pgconn
        pgconn.nonblocking = 0  # blocking: queued AND sent when this returns
        try:
            if pgconn.put_copy_end(None) != 1 or pgconn.flush() != 0:
                raise pg_errors.OperationalError("could not send the end of the COPY")
        finally:
            pgconn.nonblocking = 1


def _confirm(raw: Any) -> None:
    """Wait for the answers to 'COPY …; UPDATE …; COMMIT' and raise unless all three
    succeeded."""
    results = raw.wait(fetch_many(raw.pgconn))
    for result in results:
        if result.status != pq.ExecStatus.COMMAND_OK:
            raise pg_errors.error_from_result(result, encoding=raw.info.encoding)
    if len(results) != 3 or raw.info.transaction_status != pq.TransactionStatus.IDLE:
        raise pg_errors.OperationalError("the audit COPY's COMMIT was not confirmed")


_HEAD_UPDATE = "UPDATE compliance_audit_heads SET seq = ?, hash = ? WHERE tenant = ?"


def _stream_and_commit(connection: Connection, tenant: str, end: int,
                       rows: Iterator[tuple[Any, ...]],
                       meanwhile: Callable[[], object]) -> list[tuple[Any, ...]]:
    """PostgreSQL's overlapped path: one query 'COPY …; UPDATE head; COMMIT', the rows
    written as they are chained (psycopg sends every ~32 KiB, so the server parses and
    indexes them while the next are built), then `meanwhile` while the server commits.
    The head's new hash is not known when the query starts: the UPDATE reads it from
    the chain's entry `end`, which this COPY must have written (else the hash is NULL,
    the NOT NULL column refuses it and nothing commits)."""
    raw: Any = connection.connection.driver_connection
    quoted = Literal(tenant).as_string(raw)
    update = (f"UPDATE compliance_audit_heads SET seq = {int(end)}, hash = (SELECT hash FROM "
              f"compliance_audit WHERE tenant = {quoted} AND seq = {int(end)}) "
              f"WHERE tenant = {quoted}")
    written: list[tuple[Any, ...]] = []
    with raw.cursor() as cursor, cursor.copy(
        f"{_PG_COPY}; {update}; COMMIT", writer=_EndWithoutWaiting(cursor)
    ) as copy:
        copy.set_types(_PG_TYPES)
        for row in rows:
            copy.write_row(row)
            written.append(row)
        if not written or written[-1][1] != end:  # aborts the COPY: nothing commits
            raise ValueError(f"audit chain would end at {written[-1][1] if written else '?'}"
                             f", {end} announced")
    try:
        meanwhile()  # while the server stores the last entries and syncs the commit
    finally:
        _confirm(raw)  # the connection is usable again, whatever happened
    return written


def _bulk_insert(session: Transaction, rows: list[tuple[Any, ...]],
                 head: tuple[int, str, str]) -> None:
    """The entries and the chain's new end `head` (seq, hash, tenant), in the caller's
    transaction: binary COPY on PostgreSQL (one stream, no per-row round trip), the
    driver's own executemany on SQLite (no per-row work in SQLAlchemy), Core elsewhere."""
    connection = connection_of(session)
    dialect = connection.dialect.name
    raw: Any = connection.connection.driver_connection
    driver_query(session, _HEAD_UPDATE, head)
    if dialect == "postgresql" and len(rows) > 1:
        with raw.cursor() as cursor, cursor.copy(_PG_COPY) as copy:
            copy.set_types(_PG_TYPES)
            for row in rows:
                copy.write_row(row)
    elif dialect == "sqlite":
        # Same connection, so same transaction (the SQLite engine issues BEGIN itself).
        raw.executemany(_SQLITE_INSERT, rows)
    else:
        connection.execute(insert(cast(Table, AuditEntry.__table__)),
                           [dict(zip(_COLUMNS, row, strict=True)) for row in rows])


def record(db: Database, tenant: str, event: Event) -> dict[str, Any]:
    """Append one event in its own transaction."""
    with db.write() as session:
        return append(session, tenant, [event])[0]


def public(entry: AuditEntry | dict[str, Any]) -> dict[str, Any]:
    get = entry.get if isinstance(entry, dict) else lambda k: getattr(entry, k)
    return {
        "seq": get("seq"), "at": get("at"), "kind": get("kind"), "actor": get("actor"),
        "subject": get("subject"), "data": _loads(get("data")),
        "prev_hash": get("prev_hash"), "hash": get("hash"),
    }


def _loads(raw: Any) -> Any:
    return json.loads(raw) if isinstance(raw, str) else raw


def list_entries(db: Database, tenant: str, *, kind: str | None = None,
                 since: str | None = None, until: str | None = None, after_seq: int = 0,
                 limit: int = 100) -> list[dict[str, Any]]:
    """A page of the tenant's entries in chain order, after `after_seq`."""
    query = select(AuditEntry).where(AuditEntry.tenant == tenant, AuditEntry.seq > after_seq)
    if kind:
        query = query.where(AuditEntry.kind == kind)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    with db.read() as session:
        found = session.scalars(query.order_by(AuditEntry.seq).limit(limit)).all()
        return [public(e) for e in found]


def find_subject(db: Database, tenant: str, subject: str) -> list[dict[str, Any]]:
    with db.read() as session:
        found = session.scalars(select(AuditEntry).where(
            AuditEntry.tenant == tenant, AuditEntry.subject == subject).order_by(AuditEntry.seq))
        return [public(e) for e in found]


@dataclass(slots=True)
class Broken:
    tenant: str
    seq: int | None
    id: int | None
    reason: str


@dataclass(slots=True)
class Verification:
    chains: int
    entries: int
    broken: Broken | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _entries(session: Session, tenant: str) -> Iterator[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.tenant == tenant).order_by(AuditEntry.seq)
    yield from session.scalars(query.execution_options(yield_per=2000))


def _verify_chain(session: Session, head: AuditHead) -> tuple[int, Broken | None]:
    expected_seq, prev = head.floor_seq + 1, head.floor_hash
    count = 0
    for entry in _entries(session, head.tenant):
        count += 1
        where = (head.tenant, entry.seq, entry.id)
        if entry.seq != expected_seq:
            what = "missing" if entry.seq > expected_seq else "duplicated or out of order"
            return count, Broken(*where, f"entry {expected_seq} is {what} (found {entry.seq})")
        if entry.prev_hash != prev:
            return count, Broken(*where, "prev_hash does not match the previous entry's hash")
        digest = entry_hash(entry.prev_hash, entry.tenant, entry.seq, entry.kind, entry.at,
                            entry.actor, entry.subject, entry.data)
        if digest != entry.hash:
            return count, Broken(*where, "hash does not match the entry's contents (altered)")
        prev, expected_seq = entry.hash, expected_seq + 1
    if expected_seq - 1 != head.seq or prev != head.hash:
        return count, Broken(head.tenant, expected_seq, None,
                             f"chain ends at {expected_seq - 1} but its head says {head.seq}: "
                             "entries were removed from the end")
    return count, None


def verify(db: Database, tenant: str | None = None) -> Verification:
    """Check every chain (or one tenant's); stop at the first broken entry."""
    total, chains = 0, 0
    with db.read() as session:
        query = select(AuditHead).order_by(AuditHead.tenant)
        if tenant is not None:
            query = query.where(AuditHead.tenant == tenant)
        heads = list(session.scalars(query))
        known = {h.tenant for h in heads}
        orphans = session.scalars(select(AuditEntry.tenant).distinct()).all()
        for name in sorted(set(orphans) - known):
            if tenant is None or name == tenant:
                return Verification(chains, total, Broken(name, None, None,
                                                          "entries without a chain head"))
        for head in heads:
            chains += 1
            count, broken = _verify_chain(session, head)
            total += count
            if broken is not None:
                return Verification(chains, total, broken)
    return Verification(chains, total, None)


def purge_expired(db: Database, retention_days: int, now: datetime | None = None) -> int:
    """Remove entries older than the retention period, chain by chain (oldest first),
    moving each chain's floor up. Returns how many entries were removed."""
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=retention_days)).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")
    removed = 0
    with db.write() as session:
        for head in session.scalars(select(AuditHead).with_for_update()).all():
            last = session.execute(
                select(AuditEntry.seq, AuditEntry.hash)
                .where(AuditEntry.tenant == head.tenant, AuditEntry.at < cutoff)
                .order_by(AuditEntry.seq.desc()).limit(1)
            ).first()
            if last is None:
                continue
            result = session.execute(delete(AuditEntry).where(
                AuditEntry.tenant == head.tenant, AuditEntry.seq <= last.seq))
            removed += int(getattr(result, "rowcount", 0) or 0)
            head.floor_seq, head.floor_hash = int(last.seq), str(last.hash)
    return removed


def count(db: Database, tenant: str) -> int:
    with db.read() as session:
        return int(session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.tenant == tenant)
        ) or 0)
