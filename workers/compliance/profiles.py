"""What the list says about an entity: the compact profile carried by every match and
the full profile of GET /v1/entities/{list}/{source_id}."""

from __future__ import annotations

import weakref
from typing import Any

from matching.engine import Engine
from matching.model import Entity
from matching.scripts import primary_script
from workers.compliance.fingerprints import entity_fingerprint

REASON_CHARS = 240

_indexes: weakref.WeakKeyDictionary[Engine, dict[tuple[str, str], Entity]] = (
    weakref.WeakKeyDictionary()
)


def find_entity(engine: Engine, list_name: str, source_id: str) -> Entity | None:
    """The entity by list and id (an index built once per engine)."""
    index = _indexes.get(engine)
    if index is None:
        index = {(e.list, e.source_id): e for e in engine.entities}
        _indexes[engine] = index
    return index.get((list_name, source_id))


_fingerprints: weakref.WeakKeyDictionary[Engine, dict[tuple[str, str], str]] = (
    weakref.WeakKeyDictionary()
)


def fingerprint_of(engine: Engine, entity: Entity) -> str:
    """`entity_fingerprint`, computed once per entity of an engine (entities do not
    change while an engine lives; the same ones match batch after batch)."""
    known = _fingerprints.get(engine)
    if known is None:
        known = _fingerprints[engine] = {}
    key = (entity.list, entity.source_id)
    found = known.get(key)
    if found is None:
        found = known[key] = entity_fingerprint(entity)
    return found


def entity_url(list_name: str, source_id: str) -> str:
    return f"/v1/entities/{list_name}/{source_id}"


def _reason_line(reason: str | None) -> str | None:
    if not reason:
        return None
    line = " ".join(reason.split())
    return line if len(line) <= REASON_CHARS else line[: REASON_CHARS - 1] + "…"


def compact_profile(entity: Entity | None) -> dict[str, Any]:
    if entity is None:
        return {"birth_dates": [], "countries": [], "programs": [], "listed_on": None,
                "reason": None}
    return {
        "birth_dates": list(entity.birth_dates),
        "countries": list(entity.countries),
        "programs": list(entity.programs),
        "listed_on": entity.listed_on,
        "reason": _reason_line(entity.reason),
    }


def related(engine: Engine, entity: Entity) -> list[dict[str, Any]]:
    """The parties the list links this entity to: resolved to their own entry (name,
    schema, profile link) when the link is an id on the same list or "list:id" on
    another list in force; otherwise the link as published (usually a name)."""
    out: list[dict[str, Any]] = []
    for link in entity.links:
        target = find_entity(engine, entity.list, link)
        if target is None and ":" in link:
            other, _, source_id = link.partition(":")
            target = find_entity(engine, other, source_id)
        if target is None:
            out.append({"ref": link, "list": None, "source_id": None, "name": link,
                        "schema": None, "entity_url": None})
        else:
            out.append({"ref": link, "list": target.list, "source_id": target.source_id,
                        "name": target.name, "schema": target.schema,
                        "entity_url": entity_url(target.list, target.source_id)})
    return out


def full_profile(entity: Entity, version: dict[str, Any] | None,
                 engine: Engine | None = None) -> dict[str, Any]:
    """Everything the list says; with `engine`, related parties are resolved too."""
    names = [{"name": text, "quality": quality, "script": primary_script(text)}
             for text, quality in entity.all_names()]
    return {
        "list": entity.list,
        "source_id": entity.source_id,
        "schema": entity.schema,
        "name": entity.name,
        "names": names,
        "original_script_names": [n["name"] for n in names if n["script"] not in ("latin", "none")],
        "birth_dates": list(entity.birth_dates),
        "birth_places": list(entity.birth_places),
        "countries": list(entity.countries),
        "nationalities": list(entity.nationalities),
        "gender": entity.gender,
        "identifiers": [{"kind": i.kind, "value": i.value} for i in entity.identifiers],
        "programs": list(entity.programs),
        "listed_on": entity.listed_on,
        "reason": entity.reason,
        "links": list(entity.links),
        "related": related(engine, entity) if engine is not None else [],
        "list_version": version,
    }
