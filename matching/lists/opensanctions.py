"""OpenSanctions `targets.simple.csv` export.

Columns: id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,
phones,emails,program_ids,dataset,first_seen,last_seen,last_change; multi-values are
";"-separated. The simple export has no weak-alias column, so every alias is strong.
Identifiers are untyped; "IMO1234567" is an IMO number and a 9-digit number on a
vessel an MMSI, everything else is kept as kind "other". The list is named
"opensanctions_<dataset slug>" (or "opensanctions_targets" when mixed/absent) and
dated by the newest `last_seen`.
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
    open_csv,
    require_columns,
    split_multi,
)
from matching.lists.dates import parse_dates
from matching.lists.prose import OPENSANCTIONS_ENTITY
from matching.model import SCHEMAS, Entity, LoadedList

HEADER = ("id", "schema", "name", "aliases", "birth_date", "countries", "identifiers")
AUTHORITY = "OpenSanctions (aggregator)"
_IMO = re.compile(r"^IMO\s*(\d{7})$", re.I)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _identifiers(entity: Entity, cell: str) -> None:
    for value in split_multi(cell):
        imo = _IMO.match(value)
        if imo:
            add_identifier(entity, "imo", imo.group(1))
        elif entity.schema == "Vessel" and re.fullmatch(r"\d{9}", value):
            add_identifier(entity, "mmsi", value)
        else:
            add_identifier(entity, "other", value)


def load_os_simple(path: Path) -> LoadedList:
    header_line, header, rows = open_csv(path)
    col = require_columns(path, header, HEADER, header_line)
    entities: list[Entity] = []
    datasets: set[str] = set()
    last_seen = ""
    for line, row in rows:
        if not row:
            continue
        if len(row) != len(header):
            raise ListFormatError(
                str(path), f"line {line}", f"expected {len(header)} columns, found {len(row)}"
            )

        def get(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i] if i is not None else ""

        name = clean(get("name"))
        if not name or not clean(get("id")):
            raise ListFormatError(str(path), f"line {line}", "row has no id or name")
        schema = clean(get("schema"))
        entity = Entity(
            list="",
            source_id=clean(get("id")),
            schema=schema if schema in SCHEMAS else "LegalEntity",
            name=name,
        )
        entity.aliases = split_multi(get("aliases"))
        entity.birth_dates = [d for v in split_multi(get("birth_date")) for d in parse_dates(v)]
        for country in split_multi(get("countries")):
            add_country(entity, country)
        _identifiers(entity, get("identifiers"))
        entity.programs = split_multi(get("program_ids"))
        entity.urls = [f"{OPENSANCTIONS_ENTITY}{entity.source_id}/"]
        datasets.update(split_multi(get("dataset")))
        last_seen = max(last_seen, clean(get("last_seen")))
        entities.append(entity)
    name = "opensanctions_" + (slug(next(iter(datasets))) if len(datasets) == 1 else "targets")
    for entity in entities:
        entity.list = name
    title = (
        f"OpenSanctions: {next(iter(datasets))}" if len(datasets) == 1 else "OpenSanctions targets"
    )
    return make_list(
        name=name,
        title=title,
        authority=AUTHORITY,
        source=path,
        fmt="os_simple_csv",
        published=last_seen[:10] or None,
        files=[path],
        entities=entities,
    )
