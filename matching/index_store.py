"""Saved engines: a built index written once per list set, loaded in about a second.

File layout: one JSON header line, then the payload (a pickle of what the caller saved).
The header records
- `format`: INDEX_FORMAT, bumped by hand when the saved structure changes;
- `code`: a fingerprint of every source and data file of `matching` (any change to forms,
  scoring or the index rebuilds: nobody has to remember to bump anything);
- `key`: what the caller says the payload was built from (a digest of the list files);
- `sha256` and `size` of the payload.

A file whose header disagrees with this code or with the expected key, or whose payload
does not match its checksum, is never unpickled: `load` returns None and the caller
rebuilds. The payload is only ever written by `save` into the service's own data
directory, which the service trusts as it trusts its list snapshots.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger("screening.index")

INDEX_FORMAT = 3  # 2: engines carry a score id per list row; 3: list names' Korean readings
_MAGIC = "screening-index"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over the matching package's .py and data files (names and contents)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".csv", ".txt"):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:32]


def _header(key: str, digest: str, size: int) -> dict[str, Any]:
    return {
        "magic": _MAGIC,
        "format": INDEX_FORMAT,
        "code": code_fingerprint(),
        "key": key,
        "sha256": digest,
        "size": size,
    }


def save(path: Path, key: str, payload: Any) -> None:
    """Write the header and the pickled payload atomically."""
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    header = _header(key, hashlib.sha256(data).hexdigest(), len(data))
    write_atomic(path, [json.dumps(header).encode() + b"\n", data])


def write_atomic(path: Path, parts: list[bytes]) -> None:
    """Write `parts` to `path` via a synced temporary file and os.replace: readers see
    the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for part in parts:
                fh.write(part)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def check(path: Path, key: str) -> tuple[bytes | None, str]:
    """(payload bytes, "ok") when the file is usable; (None, why not) otherwise."""
    try:
        with path.open("rb") as fh:
            line = fh.readline(4096)
            data = fh.read()
    except FileNotFoundError:
        return None, "no saved index"
    except OSError as exc:
        return None, f"unreadable: {exc}"
    try:
        header = json.loads(line)
    except ValueError:
        return None, "no valid header"
    if not isinstance(header, dict) or header.get("magic") != _MAGIC:
        return None, "not a saved index"
    if header.get("format") != INDEX_FORMAT or header.get("code") != code_fingerprint():
        return None, "saved by another version of the matching code"
    if header.get("key") != key:
        return None, "saved for other list files"
    if len(data) != header.get("size") or hashlib.sha256(data).hexdigest() != header.get(
        "sha256"
    ):
        return None, "checksum mismatch (truncated or corrupted)"
    return data, "ok"


def load(path: Path, key: str) -> Any | None:
    """The saved payload, or None (logged with the reason) when it must be rebuilt."""
    data, why = check(path, key)
    if data is None:
        if why != "no saved index":
            log.warning("saved index not used; rebuilding", extra={"path": str(path), "why": why})
        return None
    # Hundreds of thousands of small objects: the cyclic GC would scan them repeatedly
    # while they are created. None of them is garbage.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()
