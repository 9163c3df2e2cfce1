"""FollowTheMoney entities as JSON lines ({"id", "schema", "properties": {...}}).

Target schemata (Person, Company, Organization, LegalEntity, Vessel, Airplane) become
entities, source_id = the FtM id. `name[0]` is the name, the other names, `alias` and
`previousName` strong aliases, `weakAlias` weak. Sanction entities add programme,
listing date and reason to the entity they point to; Ownership, Directorship, Family,
Associate, Membership, Employment, Representation and UnknownLink add links.
The list is named "ftm_<file stem>"; FtM files carry no publication date.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from matching.errors import ListFormatError
from matching.lists.common import (
    add_country,
    add_identifier,
    clean,
    decode_utf8,
    make_list,
    norm_gender,
    read_bytes,
)
from matching.lists.dates import parse_dates
from matching.lists.opensanctions import slug
from matching.lists.prose import is_official, related_statements
from matching.model import SCHEMAS, Entity, LoadedList

AUTHORITY = "FollowTheMoney export"
_IDS = (
    ("imoNumber", "imo"),
    ("mmsi", "mmsi"),
    ("passportNumber", "passport"),
    ("taxNumber", "tax"),
    ("innCode", "tax"),
    ("vatCode", "tax"),
    ("registrationNumber", "registration"),
    ("ogrnCode", "registration"),
    ("idNumber", "national_id"),
    ("leiCode", "other"),
    ("swiftBic", "other"),
)
_LINK_PROPS = {
    "Ownership": ("owner", "asset"),
    "Directorship": ("director", "organization"),
    "Family": ("person", "relative"),
    "Associate": ("person", "associate"),
    "Membership": ("member", "organization"),
    "Employment": ("employee", "employer"),
    "Representation": ("agent", "client"),
    "UnknownLink": ("subject", "object"),
}


def _values(props: dict[str, Any], key: str) -> list[str]:
    raw = props.get(key, [])
    if isinstance(raw, str):
        raw = [raw]
    return [clean(str(v)) for v in raw if clean(str(v))]


def _entity(list_name: str, obj: dict[str, Any]) -> Entity:
    props = obj.get("properties") or {}
    names = _values(props, "name")
    if not names:
        raise ValueError("entity has no name")
    entity = Entity(list=list_name, source_id=str(obj["id"]), schema=obj["schema"], name=names[0])
    entity.aliases = names[1:] + _values(props, "alias") + _values(props, "previousName")
    entity.weak_aliases = _values(props, "weakAlias")
    entity.birth_dates = [d for v in _values(props, "birthDate") for d in parse_dates(v)]
    entity.birth_places = _values(props, "birthPlace")
    for key in ("nationality", "citizenship", "country", "jurisdiction", "flag"):
        for value in _values(props, key):
            add_country(entity, value, nationality=key in ("nationality", "citizenship"))
    for value in _values(props, "gender"):
        entity.gender = entity.gender or norm_gender(value)
    for key, kind in _IDS:
        for value in _values(props, key):
            # IMO numbers are stored as digits, as the other loaders do.
            add_identifier(entity, kind, re.sub(r"^IMO\s*", "", value) if kind == "imo" else value)
    entity.programs = _values(props, "programId") + _values(props, "program")
    entity.urls = [u for u in _values(props, "sourceUrl") if is_official(u)]
    entity.related_text = related_statements(*_values(props, "notes"))
    return entity


def load_ftm(path: Path) -> LoadedList:
    text = decode_utf8(path, read_bytes(path))
    targets: dict[str, Entity] = {}
    others: list[dict[str, Any]] = []
    name = "ftm_" + slug(path.stem)
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ListFormatError(
                str(path), f"line {line_no}", f"malformed JSON: {exc.msg}"
            ) from exc
        if not isinstance(obj, dict) or not obj.get("id") or not obj.get("schema"):
            raise ListFormatError(
                str(path), f"line {line_no}", "not an FtM entity (needs id and schema)"
            )
        if obj["schema"] in SCHEMAS:
            try:
                targets[str(obj["id"])] = _entity(name, obj)
            except (ValueError, TypeError, AttributeError) as exc:
                raise ListFormatError(str(path), f"line {line_no}", str(exc)) from exc
        else:
            others.append(obj)
    for obj in others:
        props = obj.get("properties") or {}
        if obj["schema"] == "Sanction":
            for ref in _values(props, "entity"):
                target = targets.get(ref)
                if target is None:
                    continue
                target.programs += _values(props, "program") + _values(props, "programId")
                start = [d for v in _values(props, "startDate") for d in parse_dates(v)]
                target.listed_on = target.listed_on or (start[0] if start else None)
                target.reason = target.reason or "; ".join(_values(props, "reason")) or None
                target.urls += [u for u in _values(props, "sourceUrl") if is_official(u)]
        elif obj["schema"] in _LINK_PROPS:
            a_key, b_key = _LINK_PROPS[obj["schema"]]
            for a in _values(props, a_key):
                for b in _values(props, b_key):
                    if a in targets:
                        targets[a].links.append(b)
                    if b in targets:
                        targets[b].links.append(a)
    return make_list(
        name=name,
        title=f"FollowTheMoney entities: {path.name}",
        authority=AUTHORITY,
        source=path,
        fmt="ftm_jsonl",
        published=None,
        files=[path],
        entities=list(targets.values()),
    )
