"""The compliance store on SQLite AND a real PostgreSQL (the `compliance_db` fixture is
parametrised): hits, suppression of a cleared pair until either side changes, four-eyes,
idempotent decisions, and the audit chain (verify passes, then catches tampering)."""

from __future__ import annotations

import contextlib
import copy
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import inspect, text

from matching.engine import Engine
from matching.lists.builtin import load_builtin
from matching.model import LoadedList
from workers.compliance import audit, store
from workers.compliance.db import Database, current_revision, upgrade
from workers.compliance.errors import (
    DecisionConflict,
    HitNotFound,
    InvalidDecision,
    SameUser,
)
from workers.compliance.fingerprints import new_id

KOZLOV = {"id": "c-1", "name": "Козлов Сергей Михайлович", "birth_date": "1960-05-31",
          "country": "RU"}


@pytest.fixture(scope="module")
def kr_list() -> LoadedList:
    return load_builtin("kr-mofa")


@pytest.fixture(scope="module")
def engine(kr_list: LoadedList) -> Engine:
    return Engine([kr_list])


def screen(db: Database, engine: Engine, tenant: str, record: dict[str, Any],
           sid: str | None = None) -> list[dict[str, Any]]:
    from matching.records import query_from_record

    matches = [m.to_dict() for m in engine.screen(query_from_record(record))]
    assert matches, "the fixture record must alert"
    ctx = store.Context(tenant=tenant, source="instant", actor="key:test",
                        list_versions=store.list_versions(engine.versions(), None),
                        threshold=0.8, limit=10, lists=None)
    store.record_screenings(db, engine, ctx, [store.Screening(sid or new_id("scr"), record,
                                                              matches)])
    return matches


def test_every_migration_applies_from_empty(database_url: str) -> None:
    from sqlalchemy import create_engine

    assert current_revision(database_url) == "0002"
    eng = create_engine(database_url)
    try:
        names = set(inspect(eng).get_table_names())
    finally:
        eng.dispose()
    assert {"compliance_hits", "compliance_decisions", "compliance_audit",
            "compliance_audit_heads", "alembic_version"} <= names
    assert upgrade(database_url) == "0002"  # idempotent


def test_the_migrations_build_exactly_the_models(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from workers.compliance.models import Base

    eng = create_engine(database_url)
    try:
        with eng.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        eng.dispose()
    assert diff == [], diff


def test_audit_table_indexes_and_kind_filter_after_migration_0002(
    compliance_db: Database, engine: Engine
) -> None:
    """0002 (PostgreSQL): byte-order text columns and a kind index without screening
    entries; a kind filter still finds every kind, screenings included, in chain order."""
    if compliance_db.dialect == "postgresql":
        with compliance_db.read() as session:
            collations = dict(session.execute(text(
                "SELECT column_name, collation_name FROM information_schema.columns "
                "WHERE table_name = 'compliance_audit' AND column_name IN "
                "('tenant', 'kind', 'at', 'subject')")).all())
            index = session.execute(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_audit_tenant_kind_at'"
            )).scalar_one()
        assert collations == dict.fromkeys(("tenant", "kind", "at", "subject"), "C")
        assert "WHERE" in index and "'screening'" in index
    screen(compliance_db, engine, "bank-k", KOZLOV, sid="scr_k1")
    audit.record(compliance_db, "bank-k", audit.Event("tenant", "admin", "bank-k", {"a": 1}))
    screen(compliance_db, engine, "bank-k", KOZLOV, sid="scr_k2")
    kinds = {k: [e["seq"] for e in audit.list_entries(compliance_db, "bank-k", kind=k)]
             for k in ("screening", "tenant", "decision")}
    assert kinds == {"screening": [1, 3], "tenant": [2], "decision": []}


def test_migration_0002_downgrades_and_upgrades_again(database_url: str) -> None:
    from alembic import command

    from workers.compliance.db import alembic_config

    command.downgrade(alembic_config(database_url), "0001")
    assert current_revision(database_url) == "0001"
    assert upgrade(database_url) == "0002"


def test_screening_records_hits_with_profile_and_audit(compliance_db: Database,
                                                       engine: Engine) -> None:
    matches = screen(compliance_db, engine, "bank-a", KOZLOV, sid="scr_1")
    top = matches[0]
    assert top["hit_id"].startswith("hit_")
    assert top["entity_url"] == f"/v1/entities/{top['list']}/{top['source_id']}"
    assert set(top["profile"]) == {"birth_dates", "countries", "programs", "listed_on",
                                   "reason"}
    assert top["review"] == {"state": "open", "decision": None}
    hit = store.get_hit(compliance_db, "bank-a", top["hit_id"])
    assert hit["screening_id"] == "scr_1" and hit["source"] == "instant"
    assert hit["record"]["birth_date"] == "1960-05-31"
    entries = audit.find_subject(compliance_db, "bank-a", "scr_1")
    assert len(entries) == 1 and entries[0]["kind"] == "screening"
    data = entries[0]["data"]
    assert data["hits"][0]["hit_id"] == top["hit_id"] and data["record_fp"]
    assert data["list_versions"] and data["algorithm"]["version"] and data["config_hash"]
    assert "Козлов" not in str(data)  # a fingerprint, never the name
    with pytest.raises(HitNotFound):
        store.get_hit(compliance_db, "bank-b", top["hit_id"])


def test_false_positive_suppresses_the_pair_until_either_side_changes(
    compliance_db: Database, engine: Engine, kr_list: LoadedList
) -> None:
    first = screen(compliance_db, engine, "bank-a", KOZLOV)[0]
    made, created = store.decide(compliance_db, "bank-a", first["hit_id"], "false_positive",
                                 "our customer is a namesake born elsewhere", "alice")
    assert created and made["status"] == "effective" and made["user"] == "alice"
    again = screen(compliance_db, engine, "bank-a", KOZLOV)[0]
    assert again["hit_id"] != first["hit_id"]
    assert again["review"]["state"] == "suppressed"
    assert again["review"]["decision"]["id"] == made["id"]
    # Another tenant's decisions never suppress.
    assert screen(compliance_db, engine, "bank-b", KOZLOV)[0]["review"]["state"] == "open"
    # The customer's birth date changes: the pair alerts again.
    moved = screen(compliance_db, engine, "bank-a", {**KOZLOV, "birth_date": "1961-01-01"})
    assert moved[0]["review"]["state"] == "open"
    # Case and spacing are not a change.
    same = screen(compliance_db, engine, "bank-a", {**KOZLOV, "name": "козлов  сергей михайлович"})
    assert same[0]["review"]["state"] == "suppressed"
    # The list entry changes (a new identifier): the pair alerts again.
    changed = copy.deepcopy(kr_list)
    for e in changed.entities:
        if e.source_id == first["source_id"]:
            from matching.model import Identifier

            e.identifiers.append(Identifier("passport", "X1234567"))
    relisted = screen(compliance_db, Engine([changed]), "bank-a", KOZLOV)
    assert relisted[0]["review"]["state"] == "open"


def test_decision_errors_name_the_problem(compliance_db: Database, engine: Engine) -> None:
    hit = screen(compliance_db, engine, "bank-a", KOZLOV)[0]["hit_id"]
    with pytest.raises(InvalidDecision) as bad:
        store.decide(compliance_db, "bank-a", hit, "whitelist", "", "alice")
    assert bad.value.field == "decision"
    with pytest.raises(HitNotFound):
        store.decide(compliance_db, "bank-a", "hit_nope", "true_match", "", "alice")
    with pytest.raises(HitNotFound):  # another tenant's hit
        store.decide(compliance_db, "bank-b", hit, "true_match", "", "alice")


def test_idempotency_key_writes_a_decision_once(compliance_db: Database,
                                                engine: Engine) -> None:
    hit = screen(compliance_db, engine, "bank-a", KOZLOV)[0]["hit_id"]
    one, created = store.decide(compliance_db, "bank-a", hit, "escalated", "check",
                                "alice", idempotency_key="k1")
    two, again = store.decide(compliance_db, "bank-a", hit, "escalated", "check",
                              "alice", idempotency_key="k1")
    assert created and not again and one == two
    with pytest.raises(DecisionConflict):
        store.decide(compliance_db, "bank-a", hit, "true_match", "check", "alice",
                     idempotency_key="k1")
    page, _ = store.list_decisions(compliance_db, "bank-a", store.DecisionFilter(hit_id=hit))
    assert len(page) == 1


def test_four_eyes_false_positive_takes_effect_on_confirmation(
    compliance_db: Database, engine: Engine
) -> None:
    hit = screen(compliance_db, engine, "bank-a", KOZLOV)[0]["hit_id"]
    made, _ = store.decide(compliance_db, "bank-a", hit, "false_positive", "namesake",
                           "alice", four_eyes=True)
    assert made["status"] == "pending_confirmation"
    assert store.get_hit(compliance_db, "bank-a", hit)["review"]["state"] == \
        "pending_confirmation"
    waiting = screen(compliance_db, engine, "bank-a", KOZLOV)[0]
    assert waiting["review"]["state"] == "pending_confirmation"
    with pytest.raises(SameUser):
        store.confirm(compliance_db, "bank-a", made["id"], "alice")
    done = store.confirm(compliance_db, "bank-a", made["id"], "bob")
    assert done["status"] == "effective" and done["confirmed_by"] == "bob"
    with pytest.raises(DecisionConflict):
        store.confirm(compliance_db, "bank-a", made["id"], "carol")
    # The hit that waited is now suppressed too; later screenings are suppressed.
    assert store.get_hit(compliance_db, "bank-a", waiting["hit_id"])["review"]["state"] == \
        "suppressed"
    assert screen(compliance_db, engine, "bank-a", KOZLOV)[0]["review"]["state"] == \
        "suppressed"


def test_a_later_decision_supersedes_and_ends_suppression(compliance_db: Database,
                                                          engine: Engine) -> None:
    hit = screen(compliance_db, engine, "bank-a", KOZLOV)[0]["hit_id"]
    fp, _ = store.decide(compliance_db, "bank-a", hit, "false_positive", "", "alice")
    later = screen(compliance_db, engine, "bank-a", KOZLOV)[0]
    tm, _ = store.decide(compliance_db, "bank-a", later["hit_id"], "true_match",
                         "new adverse media", "bob")
    assert tm["supersedes"] == fp["id"]
    assert screen(compliance_db, engine, "bank-a", KOZLOV)[0]["review"]["state"] == "open"


def test_hits_queue_filters_and_counts(compliance_db: Database, engine: Engine) -> None:
    a = screen(compliance_db, engine, "bank-a", KOZLOV)
    b = screen(compliance_db, engine, "bank-a", {"name": "LADY R", "schema": "Vessel"})
    store.decide(compliance_db, "bank-a", a[0]["hit_id"], "true_match", "", "alice")
    hits, counts, more = store.list_hits(compliance_db, "bank-a", store.HitFilter())
    assert len(hits) == len(a) + len(b) and not more
    assert counts["decided"] == 1 and counts["open"] == len(a) + len(b) - 1
    open_only, _, _ = store.list_hits(compliance_db, "bank-a", store.HitFilter(state="open"))
    assert all(h["review"]["state"] == "open" for h in open_only)
    top, _, more = store.list_hits(compliance_db, "bank-a", store.HitFilter(sort="score"),
                                   limit=1)
    assert more and top[0]["score"] == max(h["score"] for h in hits)
    high, _, _ = store.list_hits(compliance_db, "bank-a", store.HitFilter(min_score=0.999))
    assert all(h["score"] >= 0.999 for h in high)
    assert store.list_hits(compliance_db, "bank-z", store.HitFilter())[0] == []


def test_a_redelivered_chunk_is_audited_once(compliance_db: Database, engine: Engine) -> None:
    from matching.records import query_from_record

    ctx = store.Context(tenant="bank-a", source="job", actor="job:j1", job_id="j1",
                        list_versions=[], threshold=0.8, limit=10, lists=None)
    for _ in range(2):
        matches = [m.to_dict() for m in engine.screen(query_from_record(KOZLOV))]
        store.record_screenings(compliance_db, engine, ctx,
                                [store.Screening("j1:0", KOZLOV, matches, position=0)],
                                skip_audited=True, shared_context=True)
    assert len(audit.find_subject(compliance_db, "bank-a", "j1:0")) == 1
    (entry,) = audit.find_subject(compliance_db, "bank-a", "j1:0")
    (context,) = audit.find_subject(compliance_db, "bank-a", entry["data"]["context"])
    assert context["kind"] == "screening_context" and context["data"]["algorithm"]["version"]
    hits, _, _ = store.list_hits(compliance_db, "bank-a", store.HitFilter(job_id="j1"))
    assert len(hits) == len(matches)


def test_audit_verify_passes_then_names_the_tampered_entry(compliance_db: Database,
                                                           engine: Engine) -> None:
    for _ in range(3):
        screen(compliance_db, engine, "bank-a", KOZLOV)
    screen(compliance_db, engine, "bank-b", KOZLOV)
    ok = audit.verify(compliance_db)
    assert ok.ok and ok.chains == 2 and ok.entries == 4
    with compliance_db.write() as session:
        session.execute(text(
            "UPDATE compliance_audit SET data = replace(data, :old, :new) "
            "WHERE tenant = 'bank-a' AND seq = 2"),
            {"old": '"threshold":0.8', "new": '"threshold":0.99'})
    broken = audit.verify(compliance_db)
    assert not broken.ok and broken.broken is not None
    assert (broken.broken.tenant, broken.broken.seq) == ("bank-a", 2)
    assert "altered" in broken.broken.reason
    assert audit.verify(compliance_db, "bank-b").ok


def test_a_batch_chunk_is_one_bulk_write_that_verify_checks_entry_by_entry(
        compliance_db: Database, engine: Engine) -> None:
    """The batch path writes a chunk's entries in one statement (COPY on PostgreSQL, the
    driver's executemany on SQLite): each entry is still the whole screening, chained,
    and a changed score in any one of them is named."""
    from matching.records import query_from_record

    ctx = store.Context(tenant="bank-a", source="job", actor="job:j9", job_id="j9",
                        list_versions=["kr-mofa@1"], threshold=0.8, limit=10, lists=None)
    records = [KOZLOV, {"id": "c-2", "name": "Maria Schmidt"}, {**KOZLOV, "id": "c-3"}]
    chunk = [store.Screening(f"j9:{i}", r, [m.to_dict() for m in engine.screen(
        query_from_record(r))], position=i) for i, r in enumerate(records)]
    store.record_screenings(compliance_db, engine, ctx, chunk, skip_audited=True,
                            shared_context=True)
    entries = audit.list_entries(compliance_db, "bank-a")
    assert [e["kind"] for e in entries] == ["screening_context"] + ["screening"] * 3
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]
    assert [e["prev_hash"] for e in entries[1:]] == [e["hash"] for e in entries[:-1]]
    first = entries[1]["data"]
    assert list(first) == ["source", "job_id", "position", "record_id", "record_fp",
                           "context", "error", "hits"]
    assert (first["position"], first["record_id"], first["context"]) == (
        0, "c-1", entries[0]["subject"])
    assert first["hits"] and first["hits"][0]["hit_id"] == chunk[0].matches[0]["hit_id"]
    assert entries[2]["data"]["hits"] == []  # c-2 does not alert, and is audited too
    assert audit.verify(compliance_db).ok
    with compliance_db.write() as session:
        session.execute(text(
            "UPDATE compliance_audit SET data = replace(data, :old, :new) "
            "WHERE tenant = 'bank-a' AND seq = 4"), {"old": '"score":1.0', "new": '"score":0.5'})
    broken = audit.verify(compliance_db)
    assert broken.broken is not None and (broken.broken.seq, broken.ok) == (4, False)
    assert "altered" in broken.broken.reason


def test_a_chunk_failing_midway_writes_nothing(compliance_db: Database,
                                              engine: Engine) -> None:
    """The batch path streams a chunk's entries into the database as it makes them: one
    that cannot be made halfway through must leave no entry and no hit of the chunk (the
    chunk is then not saved, and comes back), and the chain goes on intact."""
    from matching.records import query_from_record

    ctx = store.Context(tenant="bank-a", source="job", actor="job:j7", job_id="j7",
                        list_versions=["kr-mofa@1"], threshold=0.8, limit=10, lists=None)

    def chunk(bad: bool) -> list[store.Screening]:
        positions: list[Any] = [0, 1, object() if bad else 2, 3]
        return [store.Screening(f"j7:{i}", KOZLOV, [m.to_dict() for m in engine.screen(
            query_from_record(KOZLOV))], position=p) for i, p in enumerate(positions)]

    with pytest.raises(TypeError):
        store.record_screenings(compliance_db, engine, ctx, chunk(bad=True),
                                skip_audited=True, shared_context=True)
    assert audit.count(compliance_db, "bank-a") == 0
    assert store.list_hits(compliance_db, "bank-a", store.HitFilter())[0] == []
    store.record_screenings(compliance_db, engine, ctx, chunk(bad=False), skip_audited=True,
                            shared_context=True)
    assert [e["seq"] for e in audit.list_entries(compliance_db, "bank-a")] == [1, 2, 3, 4, 5]
    assert audit.verify(compliance_db).ok


def _job_chunk(engine: Engine, job: str, n: int = 3) -> list[store.Screening]:
    from matching.records import query_from_record

    return [store.Screening(f"{job}:{i}", KOZLOV, [m.to_dict() for m in engine.screen(
        query_from_record(KOZLOV))], position=i) for i in range(n)]


def _job_context(job: str) -> store.Context:
    return store.Context(tenant="bank-a", source="job", actor=f"job:{job}", job_id=job,
                         list_versions=["kr-mofa@1"], threshold=0.8, limit=10, lists=None)


def test_work_overlapping_the_commit_runs_before_it_is_confirmed(
    compliance_db: Database, engine: Engine
) -> None:
    """The batch path's `meanwhile` runs once on PostgreSQL (while the COPY and its
    COMMIT are on their way; whether the server has committed yet is a race), never on
    SQLite, and the call returns only once everything is committed."""
    seen: list[int] = []
    store.record_screenings(compliance_db, engine, _job_context("j8"), _job_chunk(engine, "j8"),
                            skip_audited=True, shared_context=True,
                            meanwhile=lambda: seen.append(audit.count(compliance_db, "bank-a")))
    assert len(seen) == (0 if compliance_db.dialect == "sqlite" else 1)
    assert audit.count(compliance_db, "bank-a") == 4
    assert len(store.list_hits(compliance_db, "bank-a", store.HitFilter())[0]) == 3
    assert audit.verify(compliance_db).ok


def test_a_failed_overlapped_commit_writes_nothing_and_raises(
    compliance_db: Database, engine: Engine
) -> None:
    """If the entries' COPY (and so its COMMIT) fails, or the overlapped work raises, the
    call raises (the chunk is then not saved and comes back), nothing of the failed
    COPY is kept, and the next chunk is recorded on a working connection."""
    store.record_screenings(compliance_db, engine, _job_context("j9"), _job_chunk(engine, "j9"),
                            skip_audited=True, shared_context=True)
    with compliance_db.write() as session:  # a row in the way of the next chunk's seq 6
        session.execute(text(
            "INSERT INTO compliance_audit (tenant, seq, kind, at, actor, subject, data, "
            "prev_hash, hash) VALUES ('bank-a', 6, 'tenant', 'x', NULL, 'planted', '{}', "
            "'p', 'h')"))
    with pytest.raises(Exception, match=r"uq_audit_tenant_seq|UNIQUE"):
        store.record_screenings(compliance_db, engine, _job_context("j10"),
                                _job_chunk(engine, "j10"), skip_audited=True,
                                shared_context=True, meanwhile=lambda: None)
    assert [e["subject"] for e in audit.find_subject(compliance_db, "bank-a", "j10:0")] == []
    assert not [h for h in store.list_hits(compliance_db, "bank-a", store.HitFilter())[0]
                if h["job_id"] == "j10"]
    with compliance_db.write() as session:
        session.execute(text("DELETE FROM compliance_audit WHERE subject = 'planted'"))

    def boom() -> None:
        raise RuntimeError("encoding failed")

    if compliance_db.dialect == "postgresql":  # SQLite never runs `meanwhile`
        with pytest.raises(RuntimeError, match="encoding failed"):
            store.record_screenings(compliance_db, engine, _job_context("j11"),
                                    _job_chunk(engine, "j11"), skip_audited=True,
                                    shared_context=True, meanwhile=boom)
    # Its commit may have gone through (PostgreSQL): a redelivery then writes nothing twice.
    store.record_screenings(compliance_db, engine, _job_context("j11"),
                            _job_chunk(engine, "j11"), skip_audited=True, shared_context=True,
                            meanwhile=lambda: None)
    assert len(audit.find_subject(compliance_db, "bank-a", "j11:2")) == 1
    assert audit.verify(compliance_db).ok


def test_a_connection_killed_during_the_overlapped_commit_loses_and_duplicates_nothing(
    compliance_db: Database, engine: Engine
) -> None:
    """A worker's database connection dies while its chunk's COPY and COMMIT are on their
    way (the server kills the backend): whether or not the commit got through, the call
    raises or returns committed, and the redelivered chunk leaves exactly one entry per
    record and an intact chain."""
    if compliance_db.dialect != "postgresql":
        pytest.skip("the overlapped commit is PostgreSQL's (SQLite never runs `meanwhile`)")

    def kill_writer() -> None:
        with compliance_db.read() as session:
            session.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                "datname = current_database() AND pid <> pg_backend_pid() AND "
                "query LIKE 'COPY compliance_audit%'"))

    # If it raises, the chunk is not saved: it comes back.
    with contextlib.suppress(Exception):
        store.record_screenings(compliance_db, engine, _job_context("j12"),
                                _job_chunk(engine, "j12"), skip_audited=True,
                                shared_context=True, meanwhile=kill_writer)
    compliance_db.engine.dispose()  # the pool's dead connection
    store.record_screenings(compliance_db, engine, _job_context("j12"),
                            _job_chunk(engine, "j12"), skip_audited=True, shared_context=True,
                            meanwhile=lambda: None)
    for i in range(3):
        assert len(audit.find_subject(compliance_db, "bank-a", f"j12:{i}")) == 1
    assert audit.count(compliance_db, "bank-a") == 4
    assert audit.verify(compliance_db).ok


def test_audit_verify_catches_a_deleted_entry(compliance_db: Database, engine: Engine) -> None:
    for _ in range(3):
        screen(compliance_db, engine, "bank-a", KOZLOV)
    with compliance_db.write() as session:
        session.execute(text("DELETE FROM compliance_audit WHERE tenant = 'bank-a' AND seq = 3"))
    result = audit.verify(compliance_db)
    assert result.broken is not None and result.broken.tenant == "bank-a"
    assert "removed" in result.broken.reason
    with compliance_db.write() as session:
        session.execute(text("DELETE FROM compliance_audit WHERE tenant = 'bank-a' AND seq = 1"))
    result = audit.verify(compliance_db)
    assert result.broken is not None and result.broken.seq == 2


def test_retention_purges_old_entries_and_the_chain_still_verifies(
    compliance_db: Database
) -> None:
    old = (datetime.now(UTC) - timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with compliance_db.write() as session:
        audit.append(session, "bank-a", [audit.Event("tenant", "op", "bank-a", {"n": 1})],
                     at=old)
    for i in range(2):
        audit.record(compliance_db, "bank-a", audit.Event("key", "op", "bank-a", {"n": i}))
    assert audit.purge_expired(compliance_db, retention_days=365) == 1
    left = audit.list_entries(compliance_db, "bank-a")
    assert [e["seq"] for e in left] == [2, 3]
    assert audit.verify(compliance_db).ok


def test_concurrent_appends_keep_one_valid_chain(compliance_db: Database) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                audit.record(compliance_db, "bank-a",
                             audit.Event("decision", f"u{n}", f"d{n}-{i}", {"i": i}))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    result = audit.verify(compliance_db, "bank-a")
    assert result.ok and result.entries == 40


def test_concurrent_batch_chunks_and_decisions_keep_every_chain_valid(
    database_url: str, engine: Engine
) -> None:
    """Workers write whole chunks at once (the bulk path: COPY on PostgreSQL, the chain
    computed in memory): four writers, each with its own connections as separate worker
    processes have, race on two tenants' chains while an analyst decides on hits."""
    from matching.records import query_from_record

    matches = [m.to_dict() for m in engine.screen(query_from_record(KOZLOV))]
    tenants, chunks, size = ("bank-a", "bank-b"), 5, 20
    errors: list[BaseException] = []
    decided: list[str] = []
    seed = Database(database_url)
    first = screen(seed, engine, "bank-a", KOZLOV, sid="seed")  # a hit to decide on

    def worker(n: int) -> None:
        db = Database(database_url)
        try:
            for c in range(chunks):
                for tenant in tenants:
                    job = f"job{n}"
                    ctx = store.Context(tenant=tenant, source="job", actor=f"job:{job}",
                                        job_id=job, list_versions=[], threshold=0.8,
                                        limit=10, lists=None)
                    batch = [store.Screening(f"{job}:{c * size + i}", KOZLOV,
                                             copy.deepcopy(matches), position=c * size + i)
                             for i in range(size)]
                    store.record_screenings(db, engine, ctx, batch, skip_audited=True,
                                            shared_context=True)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            db.dispose()

    def analyst() -> None:
        db = Database(database_url)
        try:
            for i in range(10):
                view, _ = store.decide(db, "bank-a", first[0]["hit_id"], "escalated",
                                       f"look {i}", "ana")
                decided.append(view["id"])
        except BaseException as exc:
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    threads.append(threading.Thread(target=analyst))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seed.dispose()
    assert not errors, errors
    db = Database(database_url)
    try:
        result = audit.verify(db)
        assert result.ok, result.broken
        # Every screening once, and the context (identical for all four jobs) once.
        expected = 4 * chunks * size + 1
        assert audit.count(db, "bank-b") == expected
        assert audit.count(db, "bank-a") == expected + 1 + len(decided)  # + the seed
        seqs = [e["seq"] for e in audit.list_entries(db, "bank-b", limit=10_000)]
        assert seqs == list(range(1, expected + 1))
    finally:
        db.dispose()


@pytest.mark.parametrize("given", [2, 4])
def test_an_append_whose_entries_differ_from_their_announced_count_writes_nothing(
    compliance_db: Database, given: int
) -> None:
    """`append_entries` may take a lazy iterable of `count` entries (PostgreSQL's streamed
    COPY moves the head to the entry it expects last): one entry too few or too many
    raises, leaves no entry and keeps the chain as it was, on both databases and on both
    the streamed (`meanwhile`) and the plain path, and the connection goes back to the
    pool usable."""
    def entries(n: int, tag: str) -> Any:
        return (("screening", "key:test", f"{tag}-{i}", "{}") for i in range(n))

    with compliance_db.write() as session:
        audit.append_entries(session, "bank-z", entries(2, "ok"), count=2)
    for meanwhile in (None, lambda: None):
        with pytest.raises(ValueError, match="announced"), compliance_db.write() as session:
            audit.append_entries(session, "bank-z", entries(given, "bad"), count=3,
                                 meanwhile=meanwhile)
        assert audit.count(compliance_db, "bank-z") == 2
        assert audit.find_subject(compliance_db, "bank-z", "bad-0") == []
    with compliance_db.write() as session:
        audit.append_entries(session, "bank-z", entries(3, "next"), count=3,
                             meanwhile=lambda: None)
    assert [e["seq"] for e in audit.list_entries(compliance_db, "bank-z")] == [1, 2, 3, 4, 5]
    assert audit.verify(compliance_db).ok
