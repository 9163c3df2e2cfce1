"""The set of lists in force: configured specs plus downloaded, versioned snapshots.

Layout under `<SCREENING_DATA_DIR>/lists/`:
  manifest.json                   which snapshot of each downloaded list is current
  <name>/<version>/<files>        one immutable snapshot (never overwritten, pruned by age)
  .staging/                       downloads being validated (same filesystem: os.replace)
  .lock                           flock held while the manifest is read-modified-written
  .index/<digest>.idx             the built engine of one set of list files (warm starts)

In force = settings.LISTS (built-in names, files, directories) followed by the current
snapshot of every downloaded list. When both provide a list of the same name the later
one (the snapshot) wins: `lists update` supersedes a configured copy of that list.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matching.lists as loaders
from matching import index_store
from matching.engine import Engine
from matching.errors import ScreeningError
from matching.model import ListMeta, LoadedList
from workers import settings

log = logging.getLogger("screening.lists")

MANIFEST_FORMAT = 1


class RegistryError(ScreeningError):
    """The registry on disk is unusable (corrupt manifest, missing snapshot)."""

    code = "list_registry_error"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One downloaded version of one list, as the manifest records it."""

    name: str
    id: str  # directory name: "<published or undated>+<hash12>"
    spec: str  # path handed to the loader, relative to lists_dir()
    url: str
    fetched_at: str
    last_modified: str | None
    meta: dict[str, Any]  # ListMeta.to_dict() at validation time

    @property
    def path(self) -> Path:
        return lists_dir() / self.spec

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "spec": self.spec,
            "url": self.url,
            "fetched_at": self.fetched_at,
            "last_modified": self.last_modified,
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> Snapshot:
        return cls(
            name=name,
            id=str(data["id"]),
            spec=str(data["spec"]),
            url=str(data["url"]),
            fetched_at=str(data["fetched_at"]),
            last_modified=data.get("last_modified"),
            meta=dict(data["meta"]),
        )


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --- manifest ---------------------------------------------------------------------------


def lists_dir() -> Path:
    # Read at call time so tests (and `serve`) can point DATA_DIR elsewhere.
    return Path(settings.DATA_DIR) / "lists"


MANIFEST_FILE = "manifest.json"


def manifest_path() -> Path:
    return lists_dir() / MANIFEST_FILE


def manifest_stamp() -> tuple[int, int, int] | None:
    """Cheap change detector (one stat): os.replace gives every write a new inode."""
    try:
        # manifest_path() as a string: Path objects cost more than the stat itself, and
        # the instant check calls this on every request.
        st = os.stat(os.path.join(settings.DATA_DIR, "lists", MANIFEST_FILE))
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def empty_manifest() -> dict[str, Any]:
    return {"format": MANIFEST_FORMAT, "generation": 0, "updated_at": None, "lists": {}}


def read_manifest() -> dict[str, Any]:
    path = manifest_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty_manifest()
    except (OSError, ValueError) as exc:
        raise RegistryError(
            f"{path} is unreadable ({exc}); restore it from backup or delete it to fall back "
            "to the configured lists (SCREENING_LISTS) and run `screening lists update`"
        ) from exc
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise RegistryError(f"{path} is not a format-{MANIFEST_FORMAT} list manifest")
    return data


def write_manifest(manifest: dict[str, Any]) -> None:
    """Atomic replace: readers see the old manifest or the new one, never half of one."""
    manifest = {
        **manifest,
        "generation": int(manifest.get("generation") or 0) + 1,
        "updated_at": now_iso(),
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False)
    index_store.write_atomic(manifest_path(), [text.encode("utf-8")])


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Serialise manifest updates across processes (two `lists update` at once)."""
    lists_dir().mkdir(parents=True, exist_ok=True)
    with open(lists_dir() / ".lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def snapshots(manifest: dict[str, Any], name: str) -> list[Snapshot]:
    entry = manifest.get("lists", {}).get(name) or {}
    return [Snapshot.from_dict(name, s) for s in entry.get("snapshots", [])]


def current_snapshot(manifest: dict[str, Any], name: str) -> Snapshot | None:
    entry = manifest.get("lists", {}).get(name) or {}
    wanted = entry.get("current")
    return next((s for s in snapshots(manifest, name) if s.id == wanted), None)


def current_snapshots(manifest: dict[str, Any] | None = None) -> list[Snapshot]:
    manifest = read_manifest() if manifest is None else manifest
    found = (current_snapshot(manifest, name) for name in sorted(manifest.get("lists", {})))
    return [s for s in found if s is not None]


STALE_STAGING_SECONDS = 24 * 3600


def staging_dir() -> Path:
    path = lists_dir() / ".staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


def clean_staging(now: float | None = None) -> None:
    """Remove downloads a killed `lists update` left behind (a day old: never a live one)."""
    cutoff = (time.time() if now is None else now) - STALE_STAGING_SECONDS
    for entry in staging_dir().iterdir():
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)


def snapshot_id(meta: ListMeta) -> str:
    return meta.version().replace("/", "-")


def install_snapshot(
    name: str,
    staged: Path,
    spec_in_staged: str,
    meta: ListMeta,
    url: str,
    last_modified: str | None,
    note: dict[str, Any] | None = None,
) -> Snapshot:
    """Move a validated staging directory into place and make it current.

    `spec_in_staged` is the loader spec relative to `staged` ("" for the directory itself).
    Same content as an existing snapshot reuses it: snapshots are never overwritten.
    """
    sid = snapshot_id(meta)
    with locked():
        manifest = read_manifest()
        final = lists_dir() / name / sid
        if final.exists():
            shutil.rmtree(staged, ignore_errors=True)
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
        rel = Path(name) / sid / spec_in_staged if spec_in_staged else Path(name) / sid
        snap = Snapshot(
            name=name,
            id=sid,
            spec=rel.as_posix(),
            url=url,
            fetched_at=now_iso(),
            last_modified=last_modified,
            # The loader saw the staging path; record where the file really came from.
            meta={**meta.to_dict(), "source": url},
        )
        history = [s for s in snapshots(manifest, name) if s.id != sid] + [snap]
        keep, drop = (
            history[-settings.LIST_KEEP_SNAPSHOTS :],
            history[: -settings.LIST_KEEP_SNAPSHOTS],
        )
        entry = manifest.setdefault("lists", {}).get(name) or {}
        # Operators' decisions (e.g. an allowed shrink and its reason) are kept for good.
        events = list(entry.get("history") or []) + ([{**note, "snapshot": sid}] if note else [])
        manifest["lists"][name] = {
            "current": sid,
            "snapshots": [s.to_dict() for s in keep],
            "history": events,
        }
        write_manifest(manifest)
        for old in drop:
            # Oldest first; jobs pinned to a pruned snapshot fail with a clear message.
            shutil.rmtree(lists_dir() / name / old.id, ignore_errors=True)
    return snap


# --- loading ---------------------------------------------------------------------------

_cache_lock = threading.Lock()
_loaded: dict[tuple[str, Any], list[LoadedList]] = {}


def _fingerprint(spec: str) -> Any:
    """What must change for a spec to load differently (files' size and mtime)."""
    path = Path(spec)
    if not path.exists():
        return None  # a built-in name: code, fixed for the life of the process
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


def load_spec_cached(spec: str) -> list[LoadedList]:
    """Lists of one spec; reused while its files are unchanged, so a new ref after one
    list's update reloads only that list."""
    key = (spec, _fingerprint(spec))
    with _cache_lock:
        hit = _loaded.get(key)
    if hit is not None:
        return hit
    if os.path.isabs(spec) and not Path(spec).exists():
        # Only pinned refs name absolute paths: the job's exact version cannot be rebuilt.
        raise RegistryError(
            f"pinned list files {spec} are gone: pruned (raise SCREENING_LIST_KEEP_SNAPSHOTS "
            "if jobs outlive that many updates), deleted, or SCREENING_DATA_DIR is not shared "
            "by the API and the workers; fix that and resubmit the job"
        )
    lists = list(loaders.load_spec(spec))
    with _cache_lock:
        _loaded[key] = lists
    return lists


def retain(specs: Iterable[str]) -> None:
    """Forget cached lists of every spec not in `specs` (called when engines are evicted)."""
    keep = set(specs)
    with _cache_lock:
        for key in [k for k in _loaded if k[0] not in keep]:
            del _loaded[key]


def clear_cache() -> None:
    with _cache_lock:
        _loaded.clear()


def in_force_specs(manifest: dict[str, Any] | None = None) -> list[str]:
    """Configured specs, then absolute paths of current snapshots (later wins by name)."""
    return [*settings.LISTS, *(str(s.path) for s in current_snapshots(manifest))]


def load_lists(specs: Sequence[str]) -> list[tuple[str, LoadedList]]:
    """(spec, list) pairs in spec order; a later list of the same name replaces an earlier."""
    by_name: dict[str, tuple[str, LoadedList]] = {}
    for spec in specs:
        for loaded in load_spec_cached(spec):
            by_name.pop(loaded.meta.name, None)  # re-insert: order follows the winner
            by_name[loaded.meta.name] = (spec, loaded)
    return list(by_name.values())


def describe(
    pairs: Sequence[tuple[str, LoadedList]], manifest: dict[str, Any]
) -> list[dict[str, Any]]:
    """JSON-ready version records: ListMeta.to_dict() plus where a snapshot came from."""
    by_path = {str(s.path): s for s in current_snapshots(manifest)}
    for name in manifest.get("lists", {}):  # older snapshots too: a pinned ref may use them
        by_path.update({str(s.path): s for s in snapshots(manifest, name)})
    out = []
    for spec, loaded in pairs:
        record = loaded.meta.to_dict()
        snap = by_path.get(spec)
        record["snapshot"] = snap.id if snap else None
        record["path"] = spec if snap else loaded.meta.source
        if snap is not None:
            record["source"] = snap.url  # where it was downloaded from, not the local copy
            record["fetched_at"] = snap.fetched_at
            record["last_modified"] = snap.last_modified
        out.append(record)
    return out


def in_force() -> list[dict[str, Any]]:
    """What is in force now, for `screening lists show` (GET /v1/lists reads the
    engines' current_list_ref()["versions"], built by the same function)."""
    manifest = read_manifest()
    return describe(load_lists(in_force_specs(manifest)), manifest)


# --- saved engines (warm starts) ----------------------------------------------------------

INDEX_KEEP = 6  # saved engines kept (the newest); each is one list set's full index


def index_dir() -> Path:
    return lists_dir() / ".index"


def _file_digest(path: Path) -> bytes:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.digest()


def sources_digest(specs: Sequence[str]) -> str:
    """sha256 over the specs and the contents of every file they name: the same files
    give the same digest wherever they live; any changed byte gives another."""
    h = hashlib.sha256()
    for spec in specs:
        h.update(b"\0spec\0" + spec.encode())
        path = Path(spec).expanduser()
        if not path.exists():
            continue  # a built-in list: part of the code, covered by the code fingerprint
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            rel = file.relative_to(path).as_posix() if path.is_dir() else file.name
            if any(part.startswith(".") for part in Path(rel).parts):
                continue  # loaders skip hidden files
            h.update(b"\0file\0" + rel.encode() + _file_digest(file))
    return h.hexdigest()[:32]


@contextlib.contextmanager
def _index_lock(path: Path) -> Iterator[None]:
    """One builder per list set across processes: the others wait, then load its file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _prune_indexes(keep: Path) -> None:
    files = sorted(index_dir().glob("*.idx"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [f for f in files if f != keep][INDEX_KEEP - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()
            old.with_suffix(".lock").unlink()


def build_engine(specs: Sequence[str]) -> tuple[list[tuple[str, LoadedList]], Engine]:
    """(spec, list) pairs and their engine: loaded from the saved index of exactly these
    list files when it is valid, else built (and saved for the next start)."""
    if not settings.INDEX_CACHE:
        pairs = load_lists(specs)
        return pairs, Engine([loaded for _, loaded in pairs])
    for spec in specs:
        load_spec_cached_check(spec)
    key = sources_digest(specs)
    path = index_dir() / f"{key}.idx"
    with _index_lock(path):
        saved = index_store.load(path, key)
        if saved is not None:
            pairs, engine = saved
            os.utime(path)  # recently used: pruned last
            return pairs, engine
        started = time.perf_counter()
        pairs = load_lists(specs)
        engine = Engine([loaded for _, loaded in pairs])
        try:
            index_store.save(path, key, (pairs, engine))
            _prune_indexes(path)
        except OSError as exc:  # a read-only data dir must not stop screening
            log.warning("could not save the built index", extra={"error": str(exc)})
        log.info(
            "engine built and saved",
            extra={"seconds": round(time.perf_counter() - started, 2), "path": str(path)},
        )
    return pairs, engine


def load_spec_cached_check(spec: str) -> None:
    """The clear error for a pinned snapshot that is gone, before anything is hashed."""
    if os.path.isabs(spec) and not Path(spec).exists():
        load_spec_cached(spec)  # raises RegistryError with instructions
