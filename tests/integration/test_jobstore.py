"""The job store keeps every accepted job and writes each chunk's results exactly once.

Runs against a real redis-server (the embedded binary); no Celery involved.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from api.embedded_redis import EmbeddedRedis
from workers.jobstore import JobStore


@pytest.fixture(scope="module")
def redis_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[redis.Redis]:
    server = EmbeddedRedis(Path(tmp_path_factory.mktemp("redis")), appendonly=False)
    server.start()
    client = redis.Redis.from_url(server.url)
    yield client
    client.close()
    server.stop()


@pytest.fixture()
def store(redis_client: redis.Redis) -> JobStore:
    return JobStore(redis_client, prefix=f"t-{uuid.uuid4().hex[:6]}:", ttl_seconds=3600)


def records(n: int) -> list[dict[str, str]]:
    return [{"id": str(i), "name": f"Name {i}"} for i in range(n)]


def result_for(recs: list[dict[str, str]], hit: bool = False) -> list[dict[str, object]]:
    return [{"id": r["id"], "matches": [{"score": 1.0}] if hit else []} for r in recs]


def test_job_is_split_into_chunks_in_order(store: JobStore) -> None:
    job, created = store.create_job(
        "bank", records(25), chunk_size=10, options={}, list_ref={"key": "k"}
    )
    assert created and job.status == "queued"
    assert (job.total, job.chunk_count) == (25, 3)
    assert [r["id"] for r in store.chunk_records(job.id, 2) or []] == ["20", "21", "22", "23", "24"]


def test_saving_a_chunk_twice_counts_it_once(store: JobStore) -> None:
    job, _ = store.create_job("bank", records(20), chunk_size=10, options={}, list_ref={})
    chunk0 = store.chunk_records(job.id, 0) or []
    assert store.save_chunk_results(job.id, 0, result_for(chunk0, hit=True)) == 1
    assert store.save_chunk_results(job.id, 0, result_for(chunk0, hit=True)) == 0
    after = store.get_job(job.id)
    assert after is not None
    assert (after.done, after.hits, after.status) == (10, 10, "queued")


def test_last_chunk_completes_the_job_with_one_result_per_record(store: JobStore) -> None:
    job, _ = store.create_job("bank", records(15), chunk_size=10, options={}, list_ref={})
    for chunk in (1, 0, 1):  # out of order, with a redelivery
        store.save_chunk_results(
            job.id, chunk, result_for(store.chunk_records(job.id, chunk) or [])
        )
    done = store.get_job(job.id)
    assert done is not None and done.status == "completed" and done.done == 15
    assert [r["id"] for _, r in store.iter_results(done)] == [str(i) for i in range(15)]
    assert job.id not in store.active_job_ids()


def test_results_stop_at_the_first_missing_chunk(store: JobStore) -> None:
    job, _ = store.create_job("bank", records(30), chunk_size=10, options={}, list_ref={})
    store.save_chunk_results(job.id, 0, result_for(store.chunk_records(job.id, 0) or []))
    store.save_chunk_results(job.id, 2, result_for(store.chunk_records(job.id, 2) or []))
    current = store.get_job(job.id)
    assert current is not None
    assert [p for p, _ in store.iter_results(current)] == list(range(10))
    assert [p for p, _ in store.iter_results(current, cursor=5)] == list(range(5, 10))


def test_idempotency_key_returns_the_original_job(store: JobStore) -> None:
    first, created = store.create_job(
        "bank", records(3), chunk_size=10, options={}, list_ref={}, idempotency_key="abc"
    )
    again, created_again = store.create_job(
        "bank", records(5), chunk_size=10, options={}, list_ref={}, idempotency_key="abc"
    )
    other, created_other = store.create_job(
        "employer", records(5), chunk_size=10, options={}, list_ref={}, idempotency_key="abc"
    )
    assert created and not created_again and created_other
    assert again.id == first.id and again.total == 3
    assert other.id != first.id


def test_claims_hand_out_each_chunk_once(store: JobStore) -> None:
    job, _ = store.create_job("bank", records(50), chunk_size=10, options={}, list_ref={})
    assert store.claim_next_chunks(job.id, 3) == [0, 1, 2]
    assert store.claim_next_chunks(job.id, 3) == [3, 4]
    assert store.claim_next_chunks(job.id, 1) == []


def test_missing_chunks_are_the_dispatched_ones_without_results(store: JobStore) -> None:
    job, _ = store.create_job("bank", records(50), chunk_size=10, options={}, list_ref={})
    store.claim_next_chunks(job.id, 3)
    store.save_chunk_results(job.id, 1, result_for(store.chunk_records(job.id, 1) or []))
    current = store.get_job(job.id)
    assert current is not None
    assert store.missing_chunks(current) == [0, 2]


def test_cancelled_job_refuses_late_results(store: JobStore) -> None:
    job, _ = store.create_job("bank", records(20), chunk_size=10, options={}, list_ref={})
    assert store.cancel(job.id)
    assert store.save_chunk_results(job.id, 0, result_for(records(10))) == -2
    cancelled = store.get_job(job.id)
    assert cancelled is not None and cancelled.status == "cancelled" and cancelled.done == 0
    assert not store.cancel(job.id)


def test_purge_removes_everything(store: JobStore) -> None:
    job, _ = store.create_job("bank", records(20), chunk_size=10, options={}, list_ref={})
    store.purge(job.id)
    assert store.get_job(job.id) is None
    assert store.chunk_records(job.id, 0) is None
    assert store.save_chunk_results(job.id, 0, result_for(records(10))) == -1
    assert job.id not in store.tenant_job_ids("bank")


def test_empty_job_completes_at_once(store: JobStore) -> None:
    job, _ = store.create_job("bank", [], chunk_size=10, options={}, list_ref={})
    assert job.status == "completed" and job.total == 0
