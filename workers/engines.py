"""Which lists a job screens against, and the engine for them.

- `current_list_ref()` is the list set a new job pins: {"key", "specs", "versions",
  "generation"}. Its specs name exact snapshot paths, which are never overwritten, so
  `engine_for(ref)` rebuilds the very same set in any process, any time later.
- A new version is picked up without a restart: each call stats the manifest (one
  syscall); on a change the new set is built in a background thread and swapped in when
  ready, so neither the API nor in-flight jobs wait for it. `refresh()` does it now.
- Engines are cached per ref key (LRU, settings.ENGINE_CACHE_SIZE); an in-flight job's
  engine stays cached while its chunks keep asking for it.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matching.engine import Engine
from workers import registry, settings

log = logging.getLogger("screening.lists")

RETRY_FAILED_SECONDS = 60.0  # a broken new set is retried this often, not on every call


@dataclass(frozen=True, slots=True)
class _Current:
    stamp: tuple[int, int, int] | None
    ref: dict[str, Any]


_lock = threading.Lock()  # guards the module state below; never held while loading
_refresh_lock = threading.Lock()  # one builder of the current set at a time
_engines: OrderedDict[str, tuple[dict[str, Any], Engine]] = OrderedDict()
_build_locks: dict[str, threading.Lock] = {}
_current: _Current | None = None
_refreshing: threading.Thread | None = None
_failed: tuple[tuple[int, int, int] | None, float] | None = None


def ref_key(versions: list[dict[str, Any]]) -> str:
    """Same lists, same contents -> same key, whichever process computes it."""
    ids = sorted((v["name"], v["content_hash"], v.get("published")) for v in versions)
    return hashlib.sha256(json.dumps(ids).encode()).hexdigest()[:16]


def _ref_for(specs: list[str], manifest: dict[str, Any]) -> tuple[dict[str, Any], Engine]:
    """The ref for specs and its engine (the saved index of these files, or built)."""
    pairs, engine = registry.build_engine(specs)
    versions = registry.describe(pairs, manifest)
    ref = {
        "key": ref_key(versions),
        "specs": specs,
        "versions": versions,
        "generation": int(manifest.get("generation") or 0),
    }
    return ref, engine


def _remember(ref: dict[str, Any], engine: Engine) -> None:
    """Cache an engine, evicting the least recently used ones (never the current)."""
    # An engine is millions of long-lived objects: without this, every full collection
    # would walk all of them again (pauses of hundreds of ms in the middle of screening).
    gc.collect()
    gc.freeze()
    with _lock:
        _engines[ref["key"]] = (ref, engine)
        _engines.move_to_end(ref["key"])
        current_key = _current.ref["key"] if _current else None
        for key in list(_engines):
            if len(_engines) <= settings.ENGINE_CACHE_SIZE:
                break
            if key not in (current_key, ref["key"]):
                del _engines[key]
                _build_locks.pop(key, None)
        in_use = [s for r, _ in _engines.values() for s in r["specs"]]
    registry.retain(in_use)


def refresh() -> dict[str, Any]:
    """Build the set on disk now (if it changed) and make it current; returns its ref."""
    global _current, _failed
    with _refresh_lock:
        stamp = registry.manifest_stamp()  # before reading: a later write is seen next time
        with _lock:
            if _current is not None and _current.stamp == stamp:
                return _current.ref
        manifest = registry.read_manifest()
        try:
            ref, engine = _ref_for(registry.in_force_specs(manifest), manifest)
            with _lock:
                cached = _engines.get(ref["key"])
            # Same contents as an engine we already have (e.g. a rolled-back list): reuse it.
            ref, engine = cached if cached is not None else (ref, engine)
        except Exception:
            with _lock:
                _failed = (stamp, time.monotonic())
            raise
        previous = _current.ref if _current else None
        with _lock:
            _current = _Current(stamp, ref)
            _failed = None
        _remember(ref, engine)
    if previous is not None and previous["key"] != ref["key"]:
        log.info("lists in force changed", extra={"old": previous["key"], "new": ref["key"]})
    return ref


def _refresh_in_background() -> None:
    try:
        refresh()
    except Exception:
        log.exception("could not load the new list set; still screening with the previous one")


def _check_for_update() -> None:
    """One stat; starts a background rebuild when the manifest changed."""
    global _refreshing
    stamp = registry.manifest_stamp()
    with _lock:
        if _current is None or _current.stamp == stamp:
            return
        if (
            _failed is not None
            and _failed[0] == stamp
            and (time.monotonic() - _failed[1] < RETRY_FAILED_SECONDS)
        ):
            return
        if _refreshing is not None and _refreshing.is_alive():
            return
        _refreshing = threading.Thread(
            target=_refresh_in_background, name="list-refresh", daemon=True
        )
        _refreshing.start()


def wait_for_refresh(timeout: float | None = None) -> None:
    """Block until a background rebuild (if any) has finished (tests, shutdown)."""
    with _lock:
        thread = _refreshing
    if thread is not None:
        thread.join(timeout)


def current_list_ref() -> dict[str, Any]:
    """The list set a new job pins (names, versions, hashes, exact snapshot paths)."""
    with _lock:
        current = _current
    if current is None:
        return refresh()  # first use in this process: nothing to serve yet
    _check_for_update()
    return current.ref


def current_engine() -> Engine:
    """The engine for the current set."""
    return current()[1]


def current() -> tuple[dict[str, Any], Engine]:
    """The current set's ref and its engine, with one look at the manifest (the instant
    check needs both on every request)."""
    ref = current_list_ref()
    return ref, _engine_of(ref)


def engine_for(ref: Mapping[str, Any] | None) -> Engine:
    """The engine for a pinned list set: cached, else rebuilt from its exact specs."""
    if not ref or not ref.get("specs"):
        return current_engine()  # a job created before lists were pinned
    _check_for_update()  # per chunk: lets workers pre-build a new set in the background
    return _engine_of(ref)


def _engine_of(ref: Mapping[str, Any]) -> Engine:
    key = str(ref["key"])
    with _lock:
        hit = _engines.get(key)
        if hit is not None:
            _engines.move_to_end(key)
            return hit[1]
        build_lock = _build_locks.setdefault(key, threading.Lock())
    with build_lock:  # concurrent chunks of one job build it once
        with _lock:
            hit = _engines.get(key)
        if hit is not None:
            return hit[1]
        # A job pinned to a set this process has not built (started before an update).
        log.info("building the engine for a pinned list set", extra={"key": key})
        built_ref, engine = _ref_for(list(ref["specs"]), registry.read_manifest())
        if built_ref["key"] != key:
            # Only configured files (not snapshots) can change under a pinned ref.
            log.warning(
                "pinned list files changed on disk; screening with what is there now",
                extra={"pinned": key, "loaded": built_ref["key"], "specs": ref["specs"]},
            )
        _remember({**built_ref, "key": key}, engine)
    return engine


def reset() -> None:
    """Forget every engine and the current set (tests)."""
    global _current, _failed
    wait_for_refresh()
    with _lock:
        _engines.clear()
        _build_locks.clear()
        _current = None
        _failed = None
    registry.clear_cache()
