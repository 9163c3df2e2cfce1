"""EU Official Journal transcription CSV (OpenSanctions `eu/journal_sanctions` format).

One row per designation; multi-values are "; "-separated. All CSVs given together
form the one list "eu_journal": the consolidated files (column `celex`) and the
2026 amending acts (columns `amendedCelex,amendmentCelex`). Amendment rows are kept
as their own entities: record numbers are not stable keys (they repeat within an
annex and are reused by amending acts), so rows are never merged. source_id is
"<celex>/<annex>/<recordId>", with "#n" added when that repeats.
Alias cells can hold transcription residue ("Korean:; Text of image; 김영복"): the
label pieces are dropped and the original-script names kept as strong aliases.
"""

from __future__ import annotations

import re
from pathlib import Path

from matching.errors import ListFormatError
from matching.lists.common import (
    add_country,
    add_identifier,
    clean,
    make_list,
    norm_gender,
    open_csv,
    require_columns,
    split_multi,
)
from matching.lists.dates import parse_dates
from matching.lists.prose import EUR_LEX, official_urls, related_statements
from matching.model import SCHEMAS, Entity, LoadedList

NAME = "eu_journal"
TITLE = "EU sanctions annexes as published in the Official Journal (transcription)"
AUTHORITY = "Council of the European Union"
REQUIRED = ("recordId", "programKey", "schema", "name", "alias", "weakAlias")
_RESIDUE = re.compile(
    r"^(?:text of (?:the )?image|(?:korean|chinese|russian|farsi|arabic|persian|"
    r"belarusian|ukrainian|cyrillic|hangul)\s*:?|[\"'“”«»]+|[\w ]{0,20}:)$",
    re.I,
)
_IDS = (
    ("passportNumber", "passport"),
    ("registrationNumber", "registration"),
    ("ogrnCode", "registration"),
    ("taxNumber", "tax"),
    ("innCode", "tax"),
    ("idNumber", "national_id"),
    ("imoNumber", "imo"),
    ("mmsi", "mmsi"),
    ("leiCode", "other"),
    ("swiftBic", "other"),
)


def _names(cell: str) -> list[str]:
    return [n for n in split_multi(cell) if not _RESIDUE.match(n)]


def _schema(value: str) -> str:
    # "Asset" (ports, airports, a digital currency) has no engine schema.
    return value if value in SCHEMAS else "LegalEntity"


def _row_entity(row: dict[str, str], celex: str) -> Entity:
    name = clean(row["name"]).rstrip(":").strip()
    key = f"{celex}/{clean(row.get('annex'))}/{clean(row['recordId'])}"
    entity = Entity(list=NAME, source_id=key, schema=_schema(clean(row["schema"])), name=name)
    entity.aliases = _names(row["alias"]) + _names(row.get("previousName", ""))
    entity.weak_aliases = _names(row["weakAlias"])
    for col in ("nationality", "country", "citizenship", "flag"):
        for value in split_multi(row.get(col)):
            add_country(entity, value, nationality=col in ("nationality", "citizenship"))
    entity.birth_dates = parse_dates(row.get("birthDate"))
    entity.birth_places = split_multi(row.get("birthPlace"))
    entity.gender = norm_gender(row.get("gender"))
    for col, kind in _IDS:
        for value in split_multi(row.get(col)):
            add_identifier(entity, kind, value)
    entity.programs = split_multi(row["programKey"])
    start = parse_dates(row.get("startDate"))
    entity.listed_on = start[0] if start else None
    entity.reason = clean(row.get("reason")) or None
    entity.related_text = related_statements(row.get("reason"), row.get("notes"))
    entity.urls = [EUR_LEX + celex, *official_urls(row.get("notes"))]
    return entity


def load_journal_file(path: Path, seen: set[str]) -> list[Entity]:
    """Entities of one OJ CSV; `seen` makes source_ids unique across the files."""
    header_line, header, rows = open_csv(path)
    col = require_columns(path, header, REQUIRED, header_line)
    if "celex" not in col and "amendmentCelex" not in col:
        raise ListFormatError(
            str(path), f"line {header_line}", "missing column celex or amendmentCelex"
        )
    out: list[Entity] = []
    for line, values in rows:
        if not values:
            continue
        if len(values) != len(header):
            raise ListFormatError(
                str(path), f"line {line}", f"expected {len(header)} columns, found {len(values)}"
            )
        row = dict(zip(header, values, strict=True))
        celex = clean(row.get("amendmentCelex") or row.get("celex"))
        if not clean(row["name"]):
            raise ListFormatError(str(path), f"line {line}", "row has no name")
        entity = _row_entity(row, celex)
        base, n = entity.source_id, 1
        while entity.source_id in seen:
            n += 1
            entity.source_id = f"{base}#{n}"
        seen.add(entity.source_id)
        out.append(entity)
    return out


def load_journal(paths: list[Path], source: Path) -> LoadedList:
    """All given OJ CSV files as one list (files read in sorted path order)."""
    seen: set[str] = set()
    entities: list[Entity] = []
    for path in sorted(paths):
        entities.extend(load_journal_file(path, seen))
    return make_list(
        name=NAME,
        title=TITLE,
        authority=AUTHORITY,
        source=source,
        fmt="eu_oj_csv",
        published=None,
        files=paths,
        entities=entities,
    )
