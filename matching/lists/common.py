"""Helpers every loader shares: reading bytes safely, hashing, metadata, tidying entities."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from matching.countries import country_codes
from matching.errors import ListFormatError
from matching.model import Entity, Identifier, ListMeta, LoadedList

# csv refuses fields over 128 KiB by default; reasons in EU files get long.
csv.field_size_limit(16 * 1024 * 1024)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; an empty (or whitespace-only) file is a format error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListFormatError(str(path), None, f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip(b" \t\r\n\x1a\x00\xef\xbb\xbf"):
        raise ListFormatError(str(path), None, "empty file")
    return data


def decode_utf8(path: Path, data: bytes) -> str:
    """Strict UTF-8 (BOM allowed); a bad byte is reported with its line number."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ListFormatError(
            str(path), f"line {line}", f"not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        ) from exc


def sha256_files(paths: Iterable[Path]) -> str:
    """sha256 over the bytes of the files in sorted path order (a set hashes as one)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        with open(path, "rb") as fh:  # in blocks: a large list is never held whole
            while block := fh.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def make_list(
    *,
    name: str,
    title: str,
    authority: str,
    source: Path | str,
    fmt: str,
    published: str | None,
    files: Iterable[Path],
    entities: list[Entity],
) -> LoadedList:
    """Tidy the entities and wrap them with their ListMeta."""
    for entity in entities:
        finish_entity(entity)
    meta = ListMeta(
        name=name,
        title=title,
        authority=authority,
        source=str(source),
        format=fmt,
        published=published,
        content_hash=sha256_files(files),
        entity_count=len(entities),
        name_count=sum(len(e.all_names()) for e in entities),
        loaded_at=now_iso(),
    )
    return LoadedList(meta=meta, entities=entities)


def clean(text: str | None) -> str:
    """Collapse whitespace; None and OFAC's "-0-" become ""."""
    if not text:
        return ""
    text = " ".join(text.split())
    return "" if text == "-0-" else text


def uniq(values: Iterable[str]) -> list[str]:
    """Drop empties and exact duplicates, keeping first-seen order."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out


def split_multi(text: str | None, sep: str = ";") -> list[str]:
    return [c for c in (clean(p) for p in (text or "").split(sep)) if c]


def place(*parts: str | None) -> str:
    """One birth place from its parts (town, region, country), empties and placeholders
    ("-", "unknown") dropped, a part repeating the previous one dropped."""
    out: list[str] = []
    for part in parts:
        text = clean(part).strip(" ,;")
        if text and text.lower() not in ("-", "unknown", "n/a") and (
                not out or out[-1].lower() != text.lower()):
            out.append(text)
    return ", ".join(out)


def add_country(entity: Entity, text: str | None, *, nationality: bool = False) -> None:
    """Add every country named in `text` (names, adjectives, codes, "(a) X, (b) Y");
    `nationality`: the list gives it as a nationality or citizenship."""
    for code in country_codes(clean(text)):
        if code not in entity.countries:
            entity.countries.append(code)
        if nationality and code not in entity.nationalities:
            entity.nationalities.append(code)


def add_identifier(entity: Entity, kind: str, value: str | None) -> None:
    value = clean(value)
    if value:
        ident = Identifier(kind, value)
        if ident not in entity.identifiers:
            entity.identifiers.append(ident)


def norm_gender(text: str | None) -> str | None:
    low = clean(text).lower()
    if low in ("m", "male", "man"):
        return "male"
    if low in ("f", "female", "woman"):
        return "female"
    return None


_QUOTES = "\"'“”«»„"


def clean_name(text: str | None) -> str:
    """clean() plus wrapping quotes removed: UN writes some aliases as '"KOMID"'."""
    name = clean(text)
    if len(name) > 2 and name[0] in _QUOTES and name[-1] in _QUOTES:
        name = name[1:-1].strip()
    return name


def finish_entity(entity: Entity) -> None:
    """Dedupe names: an alias equal to the primary goes, a strong alias wins over a weak one."""
    entity.name = clean_name(entity.name)
    entity.aliases = [a for a in uniq(clean_name(a) for a in entity.aliases) if a != entity.name]
    strong = {*entity.aliases, entity.name}
    entity.weak_aliases = [
        a for a in uniq(clean_name(a) for a in entity.weak_aliases) if a not in strong
    ]
    entity.birth_dates = uniq(entity.birth_dates)
    entity.birth_places = uniq(clean(p) for p in entity.birth_places)
    entity.programs = uniq(entity.programs)
    entity.links = uniq(entity.links)
    entity.related_text = uniq(entity.related_text)
    entity.urls = uniq(entity.urls)


def read_csv_rows(path: Path, text: str, *, skip_lines: int = 0) -> Iterator[tuple[int, list[str]]]:
    """(line number, row) pairs; a CSV syntax error names its line."""
    stream = io.StringIO(text, newline="")
    for _ in range(skip_lines):
        stream.readline()
    reader = csv.reader(stream, strict=True)
    try:
        for row in reader:
            yield reader.line_num + skip_lines, row
    except csv.Error as exc:
        raise ListFormatError(
            str(path), f"line {reader.line_num + skip_lines}", f"malformed CSV: {exc}"
        ) from exc


def open_csv(path: Path) -> tuple[int, list[str], Iterator[tuple[int, list[str]]]]:
    """(header line number, header cells, the remaining rows) of a UTF-8 CSV list file;
    an empty file is a format error."""
    rows = read_csv_rows(path, decode_utf8(path, read_bytes(path)))
    first = next(rows, None)
    if first is None:
        raise ListFormatError(str(path), None, "empty file")
    return first[0], first[1], rows


def require_columns(
    path: Path, header: list[str], required: Iterable[str], line: int
) -> dict[str, int]:
    """Column index by name; a missing required column is a format error."""
    index = {name.strip(): i for i, name in enumerate(header)}
    missing = [c for c in required if c not in index]
    if missing:
        raise ListFormatError(
            str(path), f"line {line}", f"missing required column(s): {', '.join(missing)}"
        )
    return index
