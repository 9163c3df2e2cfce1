"""The batch path records a chunk's screenings (hits and audit entries) before it saves
the chunk, in two parts whose database work overlaps scoring (workers.pipeline
._screen_and_record): every record is audited exactly once, in order, a redelivered
chunk adds nothing, and a failed part means nothing is saved. Real Redis job store,
real database (SQLite and PostgreSQL), the real engine on the built-in list."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import redis

from matching.engine import Engine
from matching.lists.builtin import load_builtin
from workers.compliance import audit, store
from workers.compliance.batch import record_chunk
from workers.compliance.db import Database
from workers.jobstore import Job, JobStore
from workers.pipeline import run_chunk

KOZLOV = {"name": "Козлов Сергей Михайлович", "birth_date": "1960-05-31"}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine([load_builtin("kr-mofa")])


@pytest.fixture()
def jobs(redis_server: str) -> JobStore:
    return JobStore(redis.Redis.from_url(redis_server), prefix=f"ap-{uuid.uuid4().hex[:6]}:",
                    ttl_seconds=3600)


def submit(jobs: JobStore, engine: Engine, n: int) -> Job:
    recs = [{"id": f"c-{i}", **(KOZLOV if i % 4 == 0 else {"name": f"Maria Example {i}"})}
            for i in range(n)]
    job, _ = jobs.create_job("bank-p", recs, chunk_size=10,
                             options={"threshold": None, "limit": 10, "lists": None},
                             list_ref={"versions": engine.versions()})
    return job


def test_a_chunk_is_recorded_in_two_overlapping_parts_each_record_once(
        jobs: JobStore, engine: Engine, compliance_db: Database) -> None:
    job = submit(jobs, engine, 20)
    parts: list[tuple[int, int, int]] = []

    def hook(job: Job, chunk: int, recs: Any, res: Any, eng: Engine, start: int) -> None:
        parts.append((chunk, start, len(recs)))
        record_chunk(job, chunk, recs, res, eng, start, db=compliance_db)

    for chunk in range(2):
        assert run_chunk(jobs, job.id, chunk, lambda _ref: engine, lambda _s, _j: None,
                         on_screened=hook) == "saved"
    # Four fifths by the writer thread while the last fifth is screened, then the rest.
    assert parts == [(0, 0, 8), (0, 8, 2), (1, 0, 8), (1, 8, 2)]
    entries = audit.list_entries(compliance_db, "bank-p", kind="screening", limit=100)
    assert [e["subject"] for e in entries] == [f"{job.id}:{i}" for i in range(20)]
    assert [e["data"]["position"] for e in entries] == list(range(20))
    assert len(audit.list_entries(compliance_db, "bank-p", kind="screening_context")) == 1
    assert audit.verify(compliance_db).ok
    # Each saved result carries what its part recorded (hit id, review).
    saved = [r for _, r in jobs.iter_results(jobs.get_job(job.id) or job)]
    hit_ids = [m["hit_id"] for r in saved for m in r["matches"]]
    assert len(saved) == 20 and len(hit_ids) >= 5  # c-0, c-4, ... alert
    assert all(m["review"]["state"] == "open" for r in saved for m in r["matches"])
    hits, _, _ = store.list_hits(compliance_db, "bank-p", store.HitFilter(job_id=job.id),
                                 limit=500)
    assert sorted(h["hit_id"] for h in hits) == sorted(hit_ids)


def test_a_chunk_redelivered_after_one_part_committed_is_audited_once(
        jobs: JobStore, engine: Engine, compliance_db: Database) -> None:
    job = submit(jobs, engine, 10)

    def crash_after_first_part(job: Job, chunk: int, recs: Any, res: Any, eng: Engine,
                               start: int) -> None:
        if start > 0:
            raise RuntimeError("worker killed")  # the first part is committed
        record_chunk(job, chunk, recs, res, eng, start, db=compliance_db)

    with pytest.raises(RuntimeError, match="worker killed"):
        run_chunk(jobs, job.id, 0, lambda _ref: engine, lambda _s, _j: None,
                  on_screened=crash_after_first_part)
    assert not jobs.has_chunk_result(job.id, 0)
    assert audit.count(compliance_db, "bank-p") == 1 + 8  # context + the first part

    def hook(job: Job, chunk: int, recs: Any, res: Any, eng: Engine, start: int) -> None:
        record_chunk(job, chunk, recs, res, eng, start, db=compliance_db)

    assert run_chunk(jobs, job.id, 0, lambda _ref: engine, lambda _s, _j: None,
                     on_screened=hook) == "saved"
    entries = audit.list_entries(compliance_db, "bank-p", kind="screening", limit=100)
    assert [e["data"]["position"] for e in entries] == list(range(10))
    assert audit.verify(compliance_db).ok
    saved = [r for _, r in jobs.iter_results(jobs.get_job(job.id) or job)]
    hits, _, _ = store.list_hits(compliance_db, "bank-p", store.HitFilter(job_id=job.id))
    assert sorted(h["hit_id"] for h in hits) == sorted(
        m["hit_id"] for r in saved for m in r["matches"])


def test_a_failed_part_saves_nothing(jobs: JobStore, engine: Engine,
                                     compliance_db: Database) -> None:
    job = submit(jobs, engine, 10)

    def failing(job: Job, chunk: int, recs: Any, res: Any, eng: Engine, start: int) -> None:
        if start == 0:  # the part the writer thread records
            raise RuntimeError("database gone")
        record_chunk(job, chunk, recs, res, eng, start, db=compliance_db)

    with pytest.raises(RuntimeError, match="database gone"):
        run_chunk(jobs, job.id, 0, lambda _ref: engine, lambda _s, _j: None,
                  on_screened=failing)
    assert not jobs.has_chunk_result(job.id, 0)
    assert audit.count(compliance_db, "bank-p") == 0
