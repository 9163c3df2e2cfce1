"""The instant check's group commit (api/group_commit.py), on SQLite and PostgreSQL:
every check it answers is recorded with its audit entry first, concurrent checks share
transactions without breaking the chain, and one bad check fails alone."""

from __future__ import annotations

import multiprocessing
import threading
from typing import Any

import pytest

from api.group_commit import GroupCommit, group_commit
from matching.engine import Engine
from matching.lists.builtin import load_builtin
from matching.records import query_from_record
from workers.compliance import audit, store
from workers.compliance.db import Database
from workers.compliance.fingerprints import new_id

KOZLOV = {"id": "c-1", "name": "Козлов Сергей Михайлович", "birth_date": "1960-05-31"}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine([load_builtin("kr-mofa")])


def _context(engine: Engine, tenant: str = "acme") -> store.Context:
    return store.Context(tenant=tenant, source="instant", actor="key:…test",
                         list_versions=store.list_versions(engine.versions(), None),
                         threshold=0.8, limit=10, lists=None)


def _check(writer: GroupCommit, engine: Engine, record: dict[str, Any],
           tenant: str = "acme") -> tuple[str, str, list[dict[str, Any]]]:
    matches = [m.to_dict() for m in engine.screen(query_from_record(record))]
    sid = new_id("scr")
    at = writer.record(engine, _context(engine, tenant), store.Screening(sid, record, matches))
    return sid, at, matches


def _audited_subjects(db: Database, tenant: str) -> list[str]:
    entries = audit.list_entries(db, tenant, kind="screening", limit=100_000)
    return [e["subject"] for e in entries]


def test_concurrent_checks_are_each_audited_once_in_one_valid_chain(
    compliance_db: Database, engine: Engine
) -> None:
    writer = GroupCommit(compliance_db)
    done: list[tuple[str, str, list[dict[str, Any]]]] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        for i in range(n):
            record = KOZLOV if i % 5 == 0 else {"name": f"Jane Doe {i}"}
            found = _check(writer, engine, record, tenant="acme" if i % 2 else "globex")
            with lock:
                done.append(found)

    threads = [threading.Thread(target=client, args=(20,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(done) == 160
    subjects = _audited_subjects(compliance_db, "acme") + _audited_subjects(compliance_db,
                                                                           "globex")
    assert sorted(subjects) == sorted(sid for sid, _, _ in done)  # each once, none lost
    assert audit.verify(compliance_db).ok
    hits = [m for _, _, matches in done for m in matches]
    assert hits and all(m["hit_id"] and m["review"]["state"] == "open" for m in hits)


def _forked_client(url: str, results: Any) -> None:
    db = Database(url)
    eng = Engine([load_builtin("kr-mofa")])
    writer = group_commit(db)
    out: list[str] = []

    def client() -> None:
        for i in range(10):
            out.append(_check(writer, eng, {"name": f"John Roe {i}"})[0])

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put(out)


def test_processes_writing_at_once_keep_the_chain(database_url: str) -> None:
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    procs = [ctx.Process(target=_forked_client, args=(database_url, results)) for _ in range(2)]
    for p in procs:
        p.start()
    sids = [sid for _ in procs for sid in results.get(timeout=300)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    db = Database(database_url)
    try:
        assert sorted(_audited_subjects(db, "acme")) == sorted(sids)
        assert len(sids) == 80
        assert audit.verify(db).ok
    finally:
        db.dispose()


def test_a_bad_check_fails_alone_and_is_not_answered(
    compliance_db: Database, engine: Engine
) -> None:
    writer = GroupCommit(compliance_db)
    go = threading.Barrier(6)
    outcome: dict[str, Any] = {}

    def client(name: str, record: dict[str, Any]) -> None:
        go.wait()
        try:
            outcome[name] = writer.record(engine, _context(engine),
                                          store.Screening(name, record, []))
        except Exception as exc:  # the request would answer 5xx
            outcome[name] = exc

    bad = {"name": "Bad Record", "id": object()}  # not JSON-serialisable: its write fails
    threads = [threading.Thread(target=client, args=(f"scr_ok{i}", {"name": f"Ok {i}"}))
               for i in range(5)]
    threads.append(threading.Thread(target=client, args=("scr_bad", bad)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert isinstance(outcome["scr_bad"], Exception)
    assert all(isinstance(outcome[f"scr_ok{i}"], str) for i in range(5))
    assert sorted(_audited_subjects(compliance_db, "acme")) == [f"scr_ok{i}" for i in range(5)]
    assert audit.verify(compliance_db).ok
