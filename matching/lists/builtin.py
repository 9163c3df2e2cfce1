"""Built-in lists shipped as JSON in matching/data (e.g. the client's `kr-mofa`).

File layout: {"name", "title", "authority", "published", "entities": [...]}, each
entity holding Entity fields; identifiers are {"kind", "value"} objects.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from matching.errors import ListFormatError, UnknownList
from matching.lists.common import decode_utf8, make_list, read_bytes
from matching.model import IDENTIFIER_KINDS, SCHEMAS, Entity, Identifier, LoadedList

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BUILTIN_FILES = {"kr-mofa": "kr_mofa.json"}
BUILTIN_LISTS: tuple[str, ...] = tuple(BUILTIN_FILES)

_LIST_FIELDS = ("aliases", "weak_aliases", "birth_dates", "birth_places", "countries",
                "nationalities", "programs", "links")


def _entity(list_name: str, raw: dict[str, Any], where: str) -> Entity:
    for key in ("source_id", "schema", "name"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ValueError(f"{where}: missing {key}")
    if raw["schema"] not in SCHEMAS:
        raise ValueError(f"{where}: unknown schema {raw['schema']!r}")
    entity = Entity(
        list=list_name, source_id=raw["source_id"], schema=raw["schema"], name=raw["name"]
    )
    for key in _LIST_FIELDS:
        values = raw.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"{where}: {key} must be a list of strings")
        setattr(entity, key, list(values))
    for ident in raw.get("identifiers", []):
        if ident.get("kind") not in IDENTIFIER_KINDS or not ident.get("value"):
            raise ValueError(f"{where}: bad identifier {ident!r}")
        entity.identifiers.append(Identifier(ident["kind"], str(ident["value"])))
    entity.gender = raw.get("gender")
    entity.listed_on = raw.get("listed_on")
    entity.reason = raw.get("reason")
    return entity


def load_json_list(path: Path, source: str | None = None) -> LoadedList:
    """A list file in the built-in JSON layout."""
    try:
        doc = json.loads(decode_utf8(path, read_bytes(path)))
    except json.JSONDecodeError as exc:
        raise ListFormatError(
            str(path), f"line {exc.lineno}", f"malformed JSON: {exc.msg}"
        ) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("entities"), list):
        raise ListFormatError(str(path), None, "not a list document (no 'entities' array)")
    name = str(doc.get("name") or path.stem)
    entities: list[Entity] = []
    for i, raw in enumerate(doc["entities"]):
        try:
            entities.append(_entity(name, raw, f"entities[{i}]"))
        except (ValueError, AttributeError, TypeError) as exc:
            raise ListFormatError(str(path), f"entities[{i}]", str(exc)) from exc
    return make_list(
        name=name,
        title=str(doc.get("title") or name),
        authority=str(doc.get("authority") or ""),
        source=source or path,
        fmt="builtin_json",
        published=doc.get("published"),
        files=[path],
        entities=entities,
    )


def load_builtin(name: str) -> LoadedList:
    """A built-in list by name ("kr-mofa"); UnknownList says which names exist."""
    filename = BUILTIN_FILES.get(name.strip().lower())
    if filename is None:
        raise UnknownList(
            f"unknown built-in list {name!r}; built-in lists: {', '.join(BUILTIN_LISTS)}",
            field="list",
        )
    return load_json_list(DATA_DIR / filename, source=f"builtin:{name}")
