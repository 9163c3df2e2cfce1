"""Monitoring runs on real Redis, chunk by chunk (no Celery: dispatch is recorded):
a chunk that dies after applying its alerts but before saving is redone without a
duplicate alert or event; delta runs go one at a time, in order; a removed entity's
alerts close as "delisted"; a changed one re-scores them; alerts are hits of the
compliance record, whose decisions set their review (open, decided, suppressed)."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from matching.engine import Engine
from matching.lists import load_spec
from workers.compliance import store as compliance
from workers.compliance.db import Database, upgrade
from workers.monitoring import runs
from workers.monitoring.store import MonitorStore

pytestmark = pytest.mark.integration

KOZLOV = ("kr-mofa", "KR-MOFA-2024-004")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The compliance record (SQLite) the chunks record their hits in."""
    url = f"sqlite:///{tmp_path / 'compliance.db'}"
    upgrade(url)
    database = Database(url)
    monkeypatch.setattr(runs, "get_database", lambda: database)
    yield database
    database.dispose()


@pytest.fixture
def store(redis_server: str, db: Database) -> MonitorStore:
    mon = MonitorStore(redis.Redis.from_url(redis_server), f"mon-{uuid.uuid4().hex[:8]}:")
    mon.reviews = lambda tenant, ids: compliance.reviews_for(db, tenant, ids)
    return mon


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    monkeypatch.setattr(runs, "send_chunk", lambda run_id, chunk: out.append((run_id, chunk)))
    return out


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_spec("kr-mofa"))


def _drain(
    store: MonitorStore, sent: list[tuple[str, int]], engine: Engine, most: int = 10**6
) -> list[str]:
    outcomes: list[str] = []
    while sent and len(outcomes) < most:
        run_id, chunk = sent.pop(0)
        outcomes.append(runs.run_chunk(store, run_id, chunk, lambda ref: engine))
    return outcomes


def _events(store: MonitorStore) -> list[dict[str, Any]]:
    return [json.loads(x) for x in store.r.lrange(store.outbox_key, 0, -1)]


RECORDS = [
    {"id": "k1", "name": "Козлов Сергей Михайлович"},
    {"id": "k2", "name": "Sergei Kozlov"},
    {"id": "n1", "name": "Maria Schmidt"},
]


def test_a_chunk_redone_after_a_crash_duplicates_nothing(
    store: MonitorStore, sent: list[tuple[str, int]], engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = runs.create_records_run(store, "bank", store.upsert("bank", RECORDS))
    real_save = store.runs.save_chunk_results
    calls = {"n": 0}

    def dies_once(*args: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("worker killed after applying, before saving")
        return real_save(*args)

    monkeypatch.setattr(store.runs, "save_chunk_results", dies_once)
    run_id, chunk = sent.pop(0)
    with pytest.raises(ConnectionError):
        runs.run_chunk(store, run_id, chunk, lambda ref: engine)
    applied = [a["alert_id"] for a in store.iter_alerts("bank", "open")]
    assert applied  # the alerts were applied before the "crash"
    # Redelivery (acks late): same alerts, no second event, and the chunk is saved.
    assert runs.run_chunk(store, run_id, chunk, lambda ref: engine) == "saved"
    assert runs.run_chunk(store, run_id, chunk, lambda ref: engine) in ("duplicate", "completed")
    assert sorted(a["alert_id"] for a in store.iter_alerts("bank", "open")) == sorted(applied)
    created = [e for e in _events(store) if e["type"] == "alert.created"]
    assert len(created) == len(applied)
    assert {a["record"]["id"] for a in store.iter_alerts("bank")} == {"k1", "k2"}
    done = store.runs.get_job(run.id)
    assert done is not None and done.status == "completed"
    assert store.get_record("bank", "n1")["status"] == "screened"  # type: ignore[index]


def test_delta_runs_go_one_at_a_time_and_close_delisted_alerts(
    store: MonitorStore, sent: list[tuple[str, int]], engine: Engine
) -> None:
    runs.create_records_run(store, "bank", store.upsert("bank", RECORDS))
    _drain(store, sent, engine)
    on_kozlov = [a for a in store.iter_alerts("bank", "open")
                 if (a["list"], a["source_id"]) == KOZLOV]
    assert {a["record"]["id"] for a in on_kozlov} == {"k1", "k2"}

    changed = runs.create_delta_run(
        store, [{"op": "changed", "list": KOZLOV[0], "source_id": KOZLOV[1]}], {}, {})
    removed = runs.create_delta_run(
        store, [{"op": "removed", "list": KOZLOV[0], "source_id": KOZLOV[1]}], {}, {})
    store.record_version("kr-mofa", "v2", {}, changed.id)
    store.record_version("kr-mofa", "v3", {}, removed.id)
    assert runs.advance_lane(store) == changed.id
    assert runs.advance_lane(store) is None  # the second waits behind the first
    assert {r for r, _ in sent} == {changed.id}
    assert _drain(store, sent, engine, 1) == ["saved"]  # finishing the first starts the 2nd
    assert store.lane_current() == removed.id
    # The changed entity re-scored its alerts: same score, so they stay open unchanged.
    assert len([a for a in store.iter_alerts("bank", "open")
                if (a["list"], a["source_id"]) == KOZLOV]) == 2
    _drain(store, sent, engine)
    closed = [a for a in store.iter_alerts("bank", "closed")
              if (a["list"], a["source_id"]) == KOZLOV]
    assert {(a["record"]["id"], a["closed_reason"]) for a in closed} == {
        ("k1", "delisted"), ("k2", "delisted")}
    assert len([e for e in _events(store) if e["type"] == "alert.closed"]) == 2
    assert store.open_alerts_on_entity(*KOZLOV) == []


def test_stop_monitoring_closes_the_records_alerts(
    store: MonitorStore, sent: list[tuple[str, int]], engine: Engine
) -> None:
    runs.create_records_run(store, "bank", store.upsert("bank", RECORDS))
    _drain(store, sent, engine)
    assert runs.stop_monitoring(store, "bank", "k1")
    assert store.get_record("bank", "k1") is None
    assert {a["closed_reason"] for a in store.iter_alerts("bank", "closed")} == {"unmonitored"}
    assert not runs.stop_monitoring(store, "bank", "k1")
    # Unchanged content is not screened again.
    assert store.upsert("bank", [RECORDS[1]]) == []


def _kozlov_alerts(store: MonitorStore) -> dict[str, dict[str, Any]]:
    return {a["record"]["id"]: a for a in store.iter_alerts("bank", "open")
            if (a["list"], a["source_id"]) == KOZLOV}


def _changed(store: MonitorStore, sent: list[tuple[str, int]], engine: Engine) -> None:
    """A list update that changed Kozlov's entry, reverse-screened with `engine`."""
    run = runs.create_delta_run(
        store, [{"op": "changed", "list": KOZLOV[0], "source_id": KOZLOV[1]}], {}, {})
    store.record_version("kr-mofa", uuid.uuid4().hex, {}, run.id)
    runs.advance_lane(store)
    assert _drain(store, sent, engine) == ["saved"]


def test_alert_reviews_follow_the_compliance_record_and_suppression_survives_a_rescore(
    store: MonitorStore, sent: list[tuple[str, int]], engine: Engine, db: Database
) -> None:
    runs.create_records_run(store, "bank", store.upsert("bank", RECORDS))
    _drain(store, sent, engine)
    alerts = _kozlov_alerts(store)
    assert {rid: a["review"]["state"] for rid, a in alerts.items()} == {
        "k1": "open", "k2": "open"}
    hit = compliance.get_hit(db, "bank", alerts["k2"]["hit_id"])  # the alert is a hit
    assert hit["source"] == "monitoring" and hit["record"]["id"] == "k2"
    # An analyst whitelists k2 on Kozlov; k1 is a true match.
    compliance.decide(db, "bank", alerts["k2"]["hit_id"], "false_positive", "other man", "ana")
    compliance.decide(db, "bank", alerts["k1"]["hit_id"], "true_match", "him", "ana")
    alerts = _kozlov_alerts(store)
    assert alerts["k2"]["review"]["state"] == "decided"
    assert alerts["k2"]["review"]["decision"]["decision"] == "false_positive"
    assert alerts["k1"]["review"]["state"] == "decided"

    # The list changes Kozlov's entry in what it does not fingerprint for the pair (his
    # gender): the hits are re-scored as new hits; the whitelisted pair stays suppressed,
    # the true match is open again for a look (only a false positive carries over).
    gendered = _with_kozlov(engine, gender="male" if _kozlov(engine).gender != "male" else None)
    _changed(store, sent, gendered)
    rescored = _kozlov_alerts(store)
    assert rescored["k2"]["alert_id"] == alerts["k2"]["alert_id"]  # the same alert
    assert rescored["k2"]["hit_id"] != alerts["k2"]["hit_id"]  # a new screening of it
    assert rescored["k2"]["review"]["state"] == "suppressed"
    assert rescored["k2"]["review"]["decision"]["comment"] == "other man"
    assert rescored["k1"]["review"]["state"] == "open"

    # Now his names change (the entity's fingerprint): the whitelisting no longer applies.
    renamed = _with_kozlov(gendered, aliases=[*_kozlov(gendered).aliases, "Sergei M. Kozlov"])
    _changed(store, sent, renamed)
    again = _kozlov_alerts(store)
    assert again["k2"]["alert_id"] == alerts["k2"]["alert_id"]
    assert again["k2"]["review"] == {"state": "open", "decision": None}
    # Re-scoring emitted no alert.created (the alerts were not new) and lost none.
    created = [e for e in _events(store) if e["type"] == "alert.created"]
    assert len({e["data"]["alert_id"] for e in created}) == len(created) == 2


def _kozlov(engine: Engine) -> Any:
    return next(e for e in engine.entities if (e.list, e.source_id) == KOZLOV)


def _with_kozlov(engine: Engine, **changes: Any) -> Engine:
    changed = dataclasses.replace(_kozlov(engine), **changes)
    return Engine([dataclasses.replace(lst, entities=[
        changed if (e.list, e.source_id) == KOZLOV else e for e in lst.entities])
        for lst in load_spec("kr-mofa")])


@pytest.mark.parametrize("update_lands", ["before_indexing", "after_the_lists_pick"])
def test_a_record_added_during_a_list_update_gets_its_alert(
    store: MonitorStore, sent: list[tuple[str, int]], engine: Engine,
    monkeypatch: pytest.MonkeyPatch, update_lands: str,
) -> None:
    """A records chunk and a list update that designates Kozlov interleave: whichever
    comes first, the new record ends with exactly one alert on him, never none."""
    without = Engine([dataclasses.replace(lst, entities=[
        e for e in lst.entities if (e.list, e.source_id) != KOZLOV])
        for lst in load_spec("kr-mofa")])
    by_key = {"v1": without, "v2": engine}
    current = {"ref": {"key": "v1", "versions": [{"name": "kr-mofa", "content_hash": "h1"}]}}

    def engine_for(ref: dict[str, Any]) -> Engine:
        return by_key[ref.get("key") or current["ref"]["key"]]

    def list_update() -> None:  # `screening lists update`, then its delta run, in full
        current["ref"] = {"key": "v2", "versions": [{"name": "kr-mofa", "content_hash": "h2"}]}
        run = runs.create_delta_run(
            store, [{"op": "added", "list": KOZLOV[0], "source_id": KOZLOV[1]}],
            current["ref"], {})
        store.record_version("kr-mofa", "h2", {}, run.id)
        runs.advance_lane(store)
        (delta_chunk,) = [s for s in sent if s[0] == run.id]
        sent.remove(delta_chunk)
        assert runs.run_chunk(store, run.id, delta_chunk[1], engine_for) == "saved"

    real_reindex = store.reindex_many

    def reindex_after_update(items: Any) -> None:
        list_update()
        real_reindex(items)

    def old_engine_then_update(ref: dict[str, Any]) -> Engine:
        picked = engine_for(ref)  # the records chunk holds v1 ...
        list_update()  # ... while the update lands and its delta run runs
        return picked

    records = runs.create_records_run(store, "bank", store.upsert("bank", RECORDS[:1]))
    if update_lands == "before_indexing":
        monkeypatch.setattr(store, "reindex_many", reindex_after_update)
    (chunk,) = [s for s in sent if s[0] == records.id]
    sent.remove(chunk)
    records_engine_for = engine_for if update_lands == "before_indexing" else (
        old_engine_then_update)
    assert runs.run_chunk(store, records.id, chunk[1], records_engine_for,
                          current_ref=lambda: current["ref"]) == "saved"
    alerts = [a for a in store.iter_alerts("bank", "open")
              if (a["list"], a["source_id"]) == KOZLOV]
    assert [a["record"]["id"] for a in alerts] == ["k1"]
    # The record says which list versions it was screened against.
    doc = store.get_record("bank", "k1")
    assert doc is not None and doc["lists"] == {"kr-mofa": "h2" if update_lands ==
                                                "before_indexing" else "h1"}
