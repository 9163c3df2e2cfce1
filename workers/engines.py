"""Which lists a job screens against, and the engine for them (first version: loads the
configured specs once per process; the list registry replaces this with versioned
snapshots)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from typing import Any

from matching.engine import Engine

from matching.lists import load_spec
from workers import settings

_lock = threading.Lock()
_cache: dict[str, Engine] = {}
_current_ref: dict[str, Any] | None = None


def _load(specs: tuple[str, ...]) -> tuple[dict[str, Any], Engine]:
    lists = [loaded for spec in specs for loaded in load_spec(spec)]
    versions = [item.meta.to_dict() for item in lists]
    key = hashlib.sha256(
        json.dumps([(v["name"], v["version"]) for v in versions]).encode()
    ).hexdigest()[:16]
    return {"key": key, "specs": list(specs), "versions": versions}, Engine(lists)


def current_list_ref() -> dict[str, Any]:
    """The list set a new job pins (names, versions, hashes)."""
    global _current_ref
    with _lock:
        if _current_ref is None:
            ref, engine = _load(settings.LISTS)
            _cache[ref["key"]] = engine
            _current_ref = ref
        return _current_ref


def current_engine() -> Engine:
    return engine_for(current_list_ref())


def engine_for(ref: Mapping[str, Any] | None) -> Engine:
    """The engine for a pinned list set, built on first use and kept."""
    if not ref:
        ref = current_list_ref()
    with _lock:
        engine = _cache.get(str(ref["key"]))
        if engine is not None:
            return engine
    loaded_ref, engine = _load(tuple(ref.get("specs") or settings.LISTS))
    with _lock:
        _cache[loaded_ref["key"]] = engine
    return engine
