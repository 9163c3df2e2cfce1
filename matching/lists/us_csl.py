"""US Consolidated Screening List CSV (trade.gov: Commerce, State and Treasury lists).

Header `_id,source,entity_number,type,programs,name,...,alt_names,...,ids`. source_id
is `_id`; `ids` cells are "Type, number, country" triples separated by "; ".
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
from matching.lists.prose import is_official, related_statements
from matching.model import Entity, LoadedList

NAME = "us_csl"
TITLE = "US Consolidated Screening List"
AUTHORITY = "U.S. Department of Commerce, International Trade Administration"
REQUIRED = ("_id", "source", "name", "type", "alt_names", "ids")
_SCHEMAS = {
    "individual": "Person",
    "entity": "LegalEntity",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
_ID_KINDS = (
    ("passport", "passport"),
    ("tax", "tax"),
    ("registration", "registration"),
    ("national id", "national_id"),
    ("imo", "imo"),
    ("mmsi", "mmsi"),
)


def load_us_csl(path: Path) -> LoadedList:
    header_line, header, rows = open_csv(path)
    require_columns(path, header, REQUIRED, header_line)
    entities: list[Entity] = []
    for line, values in rows:
        if not values:
            continue
        if len(values) != len(header):
            raise ListFormatError(
                str(path), f"line {line}", f"expected {len(header)} columns, found {len(values)}"
            )
        row = dict(zip(header, values, strict=True))
        if not clean(row["name"]):
            raise ListFormatError(str(path), f"line {line}", "row has no name")
        schema = _SCHEMAS.get(clean(row["type"]).lower(), "LegalEntity")
        entity = Entity(
            list=NAME,
            source_id=clean(row["_id"]) or f"line-{line}",
            schema=schema,
            name=clean(row["name"]),
        )
        entity.aliases = split_multi(row["alt_names"])
        entity.birth_dates = [
            d for v in split_multi(row.get("dates_of_birth")) for d in parse_dates(v)
        ]
        entity.birth_places = split_multi(row.get("places_of_birth"))
        for col in ("nationalities", "citizenships"):
            for value in split_multi(row.get(col)):
                add_country(entity, value, nationality=True)
        for addr in split_multi(row.get("addresses")):
            add_country(entity, addr.rsplit(",", 1)[-1])
        for item in split_multi(row["ids"]):
            parts = [p.strip() for p in item.split(",")]
            if len(parts) < 2:
                continue
            label = parts[0].lower()
            if label == "gender":
                entity.gender = parts[1].lower() if parts[1].lower() in ("male", "female") else None
                continue
            kind = next((k for key, k in _ID_KINDS if key in label), None)
            if kind is None and re.search(r"number|id\b", label):
                kind = "other"
            if kind:
                add_identifier(entity, kind, parts[1])
        entity.programs = [clean(row["source"]), *split_multi(row.get("programs"))]
        start = parse_dates(row.get("start_date"))
        entity.listed_on = start[0] if start else None
        entity.reason = clean(row.get("remarks")) or None
        entity.related_text = related_statements(row.get("remarks"))
        entity.urls = [u for u in (clean(row.get("source_information_url")),
                                   clean(row.get("source_list_url"))) if is_official(u)]
        entities.append(entity)
    return make_list(
        name=NAME,
        title=TITLE,
        authority=AUTHORITY,
        source=path,
        fmt="us_csl_csv",
        published=None,
        files=[path],
        entities=entities,
    )
