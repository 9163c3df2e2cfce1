"""The registry (snapshots + manifest) and the engines built from it, on small fixtures."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from matching.lists import load_spec
from matching.model import Query
from workers import engines, registry, settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registry"
URL = "https://example.test/ofac/"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path / "data")
    monkeypatch.setattr(settings, "LISTS", ("kr-mofa",))
    engines.reset()
    yield tmp_path / "data"
    engines.reset()


def install(version: str, *, variant: bool = False) -> registry.Snapshot:
    """Install fixture ofac_<version> the way `lists update` does after validating it.
    `variant`: same rows, one more blank line, so a new content hash (a third version)."""
    staged = registry.staging_dir() / f"test-{version}-{variant}"
    shutil.copytree(FIXTURES / f"ofac_{version}", staged)
    if variant:
        with open(staged / "sdn.csv", "r+b") as fh:
            fh.seek(-1, 2)
            fh.write(b"\r\n\x1a")
    (loaded,) = load_spec(str(staged))
    return registry.install_snapshot("us_ofac_sdn", staged, "", loaded.meta, URL, None)


def names(rows: list[dict[str, object]]) -> list[object]:
    return [r["name"] for r in rows]


def hits(engine: engines.Engine, name: str) -> set[str]:
    return {m.source_id for m in engine.screen(Query(name=name))}


def test_fresh_machine_has_only_the_configured_builtin() -> None:
    rows = registry.in_force()
    assert names(rows) == ["kr-mofa"]
    row = rows[0]
    assert row["snapshot"] is None
    for key in (
        "authority",
        "source",
        "version",
        "content_hash",
        "entity_count",
        "name_count",
        "loaded_at",
        "published",
    ):
        assert row[key], key
    assert not registry.manifest_path().exists()


def test_installed_snapshot_is_in_force_with_its_url_and_counts() -> None:
    snap = install("v1")
    assert snap.path == registry.lists_dir() / "us_ofac_sdn" / snap.id
    assert (snap.path / "sdn.csv").is_file()
    manifest = json.loads(registry.manifest_path().read_text())
    assert manifest["lists"]["us_ofac_sdn"]["current"] == snap.id
    assert manifest["generation"] == 1
    row = {r["name"]: r for r in registry.in_force()}["us_ofac_sdn"]
    assert (row["source"], row["snapshot"], row["entity_count"]) == (URL, snap.id, 10)
    assert row["version"] == snap.id
    # Atomic write leaves no temp files and no staging directory behind.
    assert not list(registry.lists_dir().glob(".manifest-*"))
    assert not list(registry.staging_dir().iterdir())


def test_snapshot_supersedes_a_configured_copy_of_the_same_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "LISTS", ("kr-mofa", str(FIXTURES / "ofac_v1")))
    before = {r["name"]: r for r in registry.in_force()}
    assert before["us_ofac_sdn"]["entity_count"] == 10
    assert before["us_ofac_sdn"]["snapshot"] is None
    install("v2")
    after = {r["name"]: r for r in registry.in_force()}
    assert sorted(after) == ["kr-mofa", "us_ofac_sdn"]
    assert after["us_ofac_sdn"]["entity_count"] == 11
    assert after["us_ofac_sdn"]["source"] == URL


def test_same_content_reuses_its_snapshot_and_history_is_pruned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "LIST_KEEP_SNAPSHOTS", 2)
    first = install("v1")
    mtime = (first.path / "sdn.csv").stat().st_mtime_ns
    assert install("v1").id == first.id  # never overwritten
    assert (first.path / "sdn.csv").stat().st_mtime_ns == mtime
    second = install("v2")
    assert first.path.exists()  # 2 kept: v1 and v2
    # A third distinct version pushes the oldest (v1) out, directory and all.
    third = install("v2", variant=True)
    kept = [s.id for s in registry.snapshots(registry.read_manifest(), "us_ofac_sdn")]
    assert kept == [second.id, third.id]
    assert not first.path.exists()
    assert registry.current_snapshot(registry.read_manifest(), "us_ofac_sdn") == third


def test_corrupt_manifest_is_refused_with_what_to_do() -> None:
    registry.lists_dir().mkdir(parents=True)
    registry.manifest_path().write_text("{not json")
    with pytest.raises(registry.RegistryError, match="delete it to fall back"):
        registry.in_force()


def test_current_ref_pins_exact_snapshot_paths() -> None:
    snap = install("v1")
    ref = engines.current_list_ref()
    assert set(ref) >= {"key", "specs", "versions"}
    assert ref["specs"] == ["kr-mofa", str(snap.path)]
    by_name = {v["name"]: v for v in ref["versions"]}
    assert by_name["us_ofac_sdn"]["content_hash"] == snap.meta["content_hash"]
    assert json.loads(json.dumps(ref)) == ref  # stored in Redis as JSON


def test_in_flight_job_keeps_its_version_while_new_jobs_get_the_new_one() -> None:
    install("v1")
    old_ref = engines.current_list_ref()
    old_engine = engines.engine_for(old_ref)
    assert "173" in hits(old_engine, "ANGLO-CARIBBEAN CO., LTD.")

    install("v2")  # what `lists update` does in another process
    # The first call after the update still answers at once with the old set...
    assert engines.current_list_ref()["key"] == old_ref["key"]
    engines.wait_for_refresh(30)  # ...while the new set is built in the background.
    new_ref = engines.current_list_ref()
    assert new_ref["key"] != old_ref["key"]
    new_engine = engines.current_engine()
    assert new_engine is not old_engine
    assert "173" not in hits(new_engine, "ANGLO-CARIBBEAN CO., LTD.")
    assert "90002" in hits(new_engine, "FIXTURE VERSION TWO SHIPPING LLC")

    # The in-flight job's later chunks still get the engine of its pinned version.
    assert engines.engine_for(old_ref) is old_engine
    assert "173" in hits(engines.engine_for(old_ref), "ANGLO-CARIBBEAN CO., LTD.")


def test_pinned_ref_rebuilds_identically_in_a_fresh_process() -> None:
    install("v1")
    old_ref = engines.current_list_ref()
    install("v2")
    engines.reset()  # a worker that never saw the old set (restart, another host)
    engine = engines.engine_for(old_ref)
    assert "173" in hits(engine, "ANGLO-CARIBBEAN CO., LTD.")
    assert {v["content_hash"] for v in engine.versions()} == {
        v["content_hash"] for v in old_ref["versions"]
    }


def test_pruned_snapshot_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "LIST_KEEP_SNAPSHOTS", 2)
    install("v1")
    old_ref = engines.current_list_ref()
    install("v2")
    install("v2", variant=True)  # v1 is pruned now
    engines.reset()
    gone = r"pinned list files .* are gone: pruned .*SCREENING_LIST_KEEP_SNAPSHOTS"
    with pytest.raises(registry.RegistryError, match=gone):
        engines.engine_for(old_ref)


def test_engine_cache_is_bounded_and_keeps_the_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "ENGINE_CACHE_SIZE", 2)
    refs = []
    for version, variant in (("v1", False), ("v2", False), ("v2", True)):
        install(version, variant=variant)
        refs.append(engines.refresh())
    assert len({r["key"] for r in refs}) == 3
    assert len(engines._engines) == 2
    assert refs[-1]["key"] in engines._engines
    assert refs[0]["key"] not in engines._engines  # least recently used went


def test_concurrent_chunks_build_a_new_set_once(monkeypatch: pytest.MonkeyPatch) -> None:
    install("v1")
    ref = engines.current_list_ref()
    engines.reset()
    built: list[int] = []
    real = registry.build_engine

    def counting(specs: list[str]) -> object:
        built.append(1)  # built, or loaded from the saved index: once either way
        return real(specs)

    monkeypatch.setattr(registry, "build_engine", counting)
    got: list[object] = []
    threads = [
        threading.Thread(target=lambda: got.append(engines.engine_for(ref))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(got) == 8 and len({id(e) for e in got}) == 1
    assert len(built) == 1


def test_a_job_without_a_pinned_ref_uses_the_current_set() -> None:
    assert engines.engine_for({}) is engines.current_engine()
    assert engines.engine_for(None) is engines.current_engine()


def test_setting_lists_keeps_the_builtin_list_unless_excluded() -> None:
    import subprocess
    import sys

    def lists(value: str) -> list[str]:
        code = "from workers import settings; print(','.join(settings.LISTS))"
        env = {"SCREENING_LISTS": value, "PATH": "/usr/bin:/bin"}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True)
        return out.stdout.strip().split(",")

    un = str(FIXTURES / "un")
    assert lists(un) == ["kr-mofa", un]
    assert lists(f"{un},-kr-mofa") == [un]
    assert lists(f"{un},kr-mofa") == [un, "kr-mofa"]
    assert lists("") == ["kr-mofa"]
