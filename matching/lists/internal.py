"""An institution's own watchlist as a simple CSV (see docs/internal-watchlist.md).

Header (required, in this order): id,name,schema,aliases,birth_date,country,identifiers,program
Optional extra columns: weak_aliases, gender, birth_place, listed_on, reason, links.
UTF-8; multi-values are ";"-separated; an identifier is "kind:value" (kind one of
imo, mmsi, passport, tax, registration, national_id, other) or a bare value (other).
The list is named "internal_<file stem>".
"""

from __future__ import annotations

from pathlib import Path

from matching.countries import to_country_code
from matching.errors import ListFormatError
from matching.lists.common import (
    add_identifier,
    clean,
    make_list,
    norm_gender,
    open_csv,
    split_multi,
)
from matching.lists.dates import parse_dates
from matching.lists.detect import INTERNAL_HEADER
from matching.lists.opensanctions import slug
from matching.model import IDENTIFIER_KINDS, SCHEMAS, Entity, LoadedList


def load_internal(path: Path) -> LoadedList:
    header_line, header, rows = open_csv(path)
    header = [h.strip() for h in header]
    if header[: len(INTERNAL_HEADER)] != INTERNAL_HEADER:
        raise ListFormatError(
            str(path), f"line {header_line}", f"header must start with {','.join(INTERNAL_HEADER)}"
        )
    name = "internal_" + slug(path.stem)
    entities: list[Entity] = []
    seen: set[str] = set()
    for line, values in rows:
        if not values or not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise ListFormatError(
                str(path), f"line {line}", f"expected {len(header)} columns, found {len(values)}"
            )
        row = dict(zip(header, values, strict=True))
        sid, ename, schema = clean(row["id"]), clean(row["name"]), clean(row["schema"]) or "Person"
        if not sid or not ename:
            raise ListFormatError(str(path), f"line {line}", "id and name are required")
        if sid in seen:
            raise ListFormatError(str(path), f"line {line}", f"duplicate id {sid!r}")
        if schema not in SCHEMAS:
            raise ListFormatError(
                str(path),
                f"line {line}",
                f"unknown schema {schema!r}; use one of {', '.join(SCHEMAS)}",
            )
        seen.add(sid)
        entity = Entity(list=name, source_id=sid, schema=schema, name=ename)
        entity.aliases = split_multi(row["aliases"])
        entity.weak_aliases = split_multi(row.get("weak_aliases"))
        for value in split_multi(row["birth_date"]):
            dates = parse_dates(value)
            if not dates:
                raise ListFormatError(str(path), f"line {line}", f"unreadable birth_date {value!r}")
            entity.birth_dates += dates
        for value in split_multi(row["country"]):
            code = to_country_code(value)
            if code is None:
                raise ListFormatError(str(path), f"line {line}", f"unknown country {value!r}")
            entity.countries.append(code)
        for value in split_multi(row["identifiers"]):
            kind, sep, number = value.partition(":")
            if sep and kind.strip().lower() in IDENTIFIER_KINDS:
                add_identifier(entity, kind.strip().lower(), number)
            else:
                add_identifier(entity, "other", value)
        entity.programs = split_multi(row["program"])
        entity.gender = norm_gender(row.get("gender"))
        listed = parse_dates(row.get("listed_on"))
        entity.listed_on = listed[0] if listed else None
        entity.reason = clean(row.get("reason")) or None
        entity.links = split_multi(row.get("links"))
        entity.birth_places = split_multi(row.get("birth_place"))
        entities.append(entity)
    return make_list(
        name=name,
        title=f"Internal watchlist {path.stem}",
        authority="internal",
        source=path,
        fmt="internal_csv",
        published=None,
        files=[path],
        entities=entities,
    )
