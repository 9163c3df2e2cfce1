"""Detect a new list version and queue the delta run that reverse-screens it.

Called by `screening lists update` right after it installs a version, and by every
worker's background loop (so an update made any other way, or while Redis was down, is
still seen). The first version of a list ever seen is a baseline: records are screened
against it when they are added. Each later version is compared entity by entity with
the last one seen, by fingerprint (names, schema, dates, countries, gender, identifiers).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from matching.model import LoadedList
from matching.reverse import entity_fingerprint
from workers.monitoring import runs
from workers.monitoring.store import MonitorStore

log = logging.getLogger("screening.monitoring")

LOCK_SECONDS = 120


def list_delta(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    """Source ids added, changed and removed between two {source id: fingerprint} maps."""
    return {
        "added": sorted(set(new) - set(old)),
        "changed": sorted(k for k in set(new) & set(old) if new[k] != old[k]),
        "removed": sorted(set(old) - set(new)),
    }


def detect(store: MonitorStore, ref: dict[str, Any], lists: list[LoadedList]) -> list[str]:
    """Queue a delta run for every list whose version changed since last seen; returns
    the new run ids. One detector at a time (a Redis lock)."""
    lock = f"{store.p}detect-lock"
    if not store.r.set(lock, "1", nx=True, ex=LOCK_SECONDS):
        return []
    try:
        return _detect(store, ref, lists)
    finally:
        store.r.delete(lock)


def _detect(store: MonitorStore, ref: dict[str, Any], lists: list[LoadedList]) -> list[str]:
    seen = store.seen()
    created: list[str] = []
    for version in ref.get("versions", []):
        name, content_hash = version["name"], version["content_hash"]
        if seen.get(name) == content_hash:
            continue
        fps = {
            e.source_id: entity_fingerprint(e)
            for loaded in lists if loaded.meta.name == name for e in loaded.entities
        }
        if not seen:  # nothing ever seen: this whole set is the baseline
            store.record_version(name, content_hash, fps, None)
            continue
        delta = list_delta(store.fingerprints(name), fps)
        counts = {k: len(v) for k, v in delta.items()}
        run_id = None
        if any(counts.values()):
            ops = [
                {"op": op, "list": name, "source_id": sid}
                for op in ("removed", "changed", "added")
                for sid in delta[op]
            ]
            info = {
                "list": name, "version": version.get("version"),
                "previous_hash": seen.get(name), "counts": counts,
            }
            run = runs.create_delta_run(store, ops, ref, info)
            run_id = run.id
            created.append(run.id)
        store.record_version(name, content_hash, fps, run_id)
        store.emit({
            "id": f"evt_list_{name}_{content_hash[:16]}",
            "type": "list.updated",
            "tenant": "*",
            "timestamp": runs.iso(time.time()),
            "data": {
                "list": name, "version": version.get("version"), "counts": counts,
                "run_id": run_id, "links": {"lists": "/v1/lists"},
            },
        })
        log.info("list version seen", extra={"list": name, "counts": counts, "run_id": run_id})
    runs.advance_lane(store)
    return created
