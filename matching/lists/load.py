"""load_path / load_spec: turn a file, a folder or a built-in name into LoadedLists."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from matching.errors import ListFormatError, UnknownList
from matching.lists import ofac
from matching.lists.builtin import BUILTIN_LISTS, load_builtin, load_json_list
from matching.lists.detect import detect_format, ofac_kind
from matching.lists.eu_fsf import load_eu_fsf
from matching.lists.eu_journal import load_journal
from matching.lists.ftm import load_ftm
from matching.lists.internal import load_internal
from matching.lists.opensanctions import load_os_simple
from matching.lists.uk_conlist import load_conlist_csv, load_conlist_xlsx
from matching.lists.uk_sl import load_uk_sl
from matching.lists.un import load_un
from matching.lists.us_csl import load_us_csl
from matching.model import LoadedList

# Single-file formats; OFAC sets and EU OJ groups are handled separately.
SINGLE: dict[str, Callable[[Path], LoadedList]] = {
    "un_xml": load_un,
    "eu_fsf_xml": load_eu_fsf,
    "uk_conlist_csv": load_conlist_csv,
    "uk_conlist_xlsx": load_conlist_xlsx,
    "uk_sl_xml": load_uk_sl,
    "os_simple_csv": load_os_simple,
    "ftm_jsonl": load_ftm,
    "internal_csv": load_internal,
    "us_csl_csv": load_us_csl,
    "builtin_json": load_json_list,
}
# Extensions whose files must load when found in a folder (others may be skipped).
_LIST_SUFFIXES = {".csv", ".xml", ".xlsx", ".json", ".jsonl", ".ndjson"}


def _ofac_dir(folder: Path, spec: ofac.OfacSet) -> LoadedList:
    files = {p.name: p for p in ofac.set_files(folder, spec)}
    return ofac.load_ofac(
        spec,
        files[spec.main],
        alt=files.get(spec.alt),
        add=files.get(spec.add),
        comments=files.get(spec.comments),
        source=folder,
    )


def _ofac_file(path: Path) -> LoadedList:
    """An OFAC file named directly: its whole set when it has a standard name."""
    spec = ofac.spec_for(path)
    if spec is not None and (path.parent / spec.main).is_file():
        return _ofac_dir(path.parent, spec)
    if ofac_kind(path) != "main":
        raise ListFormatError(str(path), None, "OFAC companion file without its main file")
    spec = ofac.CONS if path.name.lower().startswith("cons") else ofac.SDN
    return ofac.load_ofac(spec, path)


def load_file(path: Path) -> LoadedList:
    """One file of any single-list format."""
    fmt = detect_format(path)
    if fmt == "ofac_csv":
        return _ofac_file(path)
    if fmt == "eu_oj_csv":
        return load_journal([path], path)
    return SINGLE[fmt](path)


def _walk(folder: Path) -> list[Path]:
    out: list[Path] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        out.append(path)
    return out


def load_directory(folder: Path) -> list[LoadedList]:
    """Every list under `folder`, each once; unrecognised files (README.md) are skipped."""
    results: list[LoadedList] = []
    consumed: set[Path] = set()
    for sub in sorted({folder, *(p for p in folder.rglob("*") if p.is_dir())}):
        for spec in ofac.SETS:
            if (sub / spec.main).is_file():
                results.append(_ofac_dir(sub, spec))
                consumed.update(ofac.set_files(sub, spec))
    journal: list[Path] = []
    conlist_csv_dirs: set[Path] = set()
    pending: list[tuple[Path, str]] = []
    for path in _walk(folder):
        if path in consumed:
            continue
        try:
            fmt = detect_format(path)
        except ListFormatError:
            if path.suffix.lower() in _LIST_SUFFIXES and path.stat().st_size == 0:
                raise
            continue  # not a list file (README.md, notes...)
        if fmt == "ofac_csv":
            if ofac_kind(path) == "main":  # a main file under another name
                results.append(_ofac_file(path))
            continue  # companion file whose set has no main file here
        if fmt == "eu_oj_csv":
            journal.append(path)
            continue
        if fmt == "uk_conlist_csv":
            conlist_csv_dirs.add(path.parent)
        pending.append((path, fmt))
    for path, fmt in pending:
        if fmt == "uk_conlist_xlsx" and path.parent in conlist_csv_dirs:
            continue  # the CSV export of the same list is preferred (much faster)
        results.append(SINGLE[fmt](path))
    if journal:
        results.append(
            load_journal(
                journal, Path(os.path.commonpath(journal)) if len(journal) > 1 else journal[0]
            )
        )
    if not results:
        raise ListFormatError(str(folder), None, "no list files recognised in this directory")
    return results


def load_path(path: str | Path) -> list[LoadedList]:
    """A file (one list, or its OFAC set) or a directory (every list in it)."""
    p = Path(path).expanduser()
    if p.is_dir():
        return load_directory(p)
    if p.is_file():
        return [load_file(p)]
    raise UnknownList(f"no such file or directory: {p}", field="list")


def load_spec(spec: str) -> list[LoadedList]:
    """A built-in list name ("kr-mofa"), a file or a directory."""
    name = spec.strip()
    if name.lower() in BUILTIN_LISTS:
        return [load_builtin(name)]
    p = Path(name).expanduser()
    if p.exists():
        return load_path(p)
    raise UnknownList(
        f"unknown list {spec!r}: not a built-in list and no such file or directory. "
        f"Built-in lists: {', '.join(BUILTIN_LISTS)}; or give the path of a list file or folder.",
        field="list",
        details={"builtin": list(BUILTIN_LISTS)},
    )
