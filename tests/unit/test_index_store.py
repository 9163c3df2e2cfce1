"""Saved engines (warm starts): used only when the code, the list files and the checksum
all agree; otherwise rebuilt and rewritten, never trusted."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from matching import index_store
from matching.model import Query
from workers import registry, settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path / "data")
    monkeypatch.setattr(settings, "INDEX_CACHE", True)
    yield tmp_path / "data"


@pytest.fixture()
def list_dir(tmp_path: Path) -> Path:
    target = tmp_path / "lists" / "os"
    target.mkdir(parents=True)
    shutil.copy(FIXTURES / "lists" / "os_targets.simple.csv", target / "targets.simple.csv")
    return target


def saved_files() -> list[Path]:
    return sorted(registry.index_dir().glob("*.idx"))


def names(engine: object, query: str) -> list[str]:
    return [m.name for m in engine.screen(Query(name=query), threshold=0.0)]  # type: ignore[attr-defined]


def test_first_build_saves_and_next_start_loads_the_same_engine(list_dir: Path) -> None:
    specs = [str(list_dir), "kr-mofa"]
    pairs, built = registry.build_engine(specs)
    (path,) = saved_files()
    assert path.stem == registry.sources_digest(specs)
    pairs2, loaded = registry.build_engine(specs)
    assert loaded is not built  # from disk, not from memory
    assert [p.meta.to_dict() for _, p in pairs2] == [p.meta.to_dict() for _, p in pairs]
    for query in ("Kozlov Sergey", "Intellekt LLC", "LADY R"):
        assert names(loaded, query) == names(built, query)
    assert loaded.screen(Query(name="Козлов Сергей Михайлович"))  # a real hit


def test_index_of_other_code_version_is_rebuilt(
    list_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = [str(list_dir)]
    registry.build_engine(specs)
    (path,) = saved_files()
    key = path.stem
    assert index_store.check(path, key)[1] == "ok"
    monkeypatch.setattr(index_store, "INDEX_FORMAT", index_store.INDEX_FORMAT + 1)
    assert index_store.check(path, key) == (None, "saved by another version of the matching code")
    assert index_store.load(path, key) is None
    registry.build_engine(specs)  # rebuilds and rewrites under the new version
    assert index_store.check(path, key)[1] == "ok"


def test_index_with_bad_checksum_is_rebuilt_not_unpickled(list_dir: Path) -> None:
    specs = [str(list_dir)]
    registry.build_engine(specs)
    (path,) = saved_files()
    raw = path.read_bytes()
    # Flip one byte of the payload: the header still looks right.
    corrupt = bytearray(raw)
    corrupt[-10] ^= 0xFF
    path.write_bytes(bytes(corrupt))
    assert index_store.check(path, path.stem) == (
        None, "checksum mismatch (truncated or corrupted)"
    )
    path.write_bytes(raw[: len(raw) // 2])  # truncated
    assert index_store.check(path, path.stem)[0] is None
    _, engine = registry.build_engine(specs)
    assert engine.entity_count > 0
    assert index_store.check(path, path.stem)[1] == "ok"  # rewritten whole


def test_forged_header_for_other_files_is_refused(list_dir: Path) -> None:
    registry.build_engine([str(list_dir)])
    (path,) = saved_files()
    line, _, rest = path.read_bytes().partition(b"\n")
    header = json.loads(line)
    header["key"] = "0" * 32
    path.write_bytes(json.dumps(header).encode() + b"\n" + rest)
    assert index_store.check(path, path.stem) == (None, "saved for other list files")


def test_changed_list_file_gets_a_new_index(list_dir: Path) -> None:
    registry.build_engine([str(list_dir)])
    first = registry.sources_digest([str(list_dir)])
    csv = list_dir / "targets.simple.csv"
    csv.write_bytes(csv.read_bytes() + b"\n")
    assert registry.sources_digest([str(list_dir)]) != first
    registry.build_engine([str(list_dir)])
    assert len(saved_files()) == 2


def test_not_a_saved_index(tmp_path: Path) -> None:
    path = tmp_path / "x.idx"
    assert index_store.check(path, "k") == (None, "no saved index")
    path.write_bytes(b"\x80\x04garbage")
    assert index_store.check(path, "k") == (None, "no valid header")


def test_disabled_cache_writes_nothing(list_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "INDEX_CACHE", False)
    _, engine = registry.build_engine([str(list_dir)])
    assert engine.entity_count > 0
    assert not saved_files()
