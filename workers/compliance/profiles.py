"""What the list says about an entity: the compact profile carried by every match and
the full profile of GET /v1/entities/{list}/{source_id}."""

from __future__ import annotations

import re
import weakref
from typing import Any
from urllib.parse import urlsplit

from matching.engine import Engine
from matching.lists.prose import first_relation
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


# An id right after a party named in prose: a UN reference ("(QDi.301)") or a UK Sanctions
# List one ("(RUS0271)"), looked up on the entity's own list, then on that list.
# An acronym in brackets may come first: "Al-Qaida in the Arabian Peninsula (AQAP) (QDe.129)";
# a note may follow the reference: "(QDi.232, reported deceased in June 2020)".
_PROSE_REF = re.compile(
    r"\s*(?:\([^()]{1,40}\)\s*)?\((?:UN Ref:?\s*)?([A-Z]{2}[ie]\.\d{3}|[A-Z]{3}\d{4})[),]")
_REF_LISTS = (("un_sc", re.compile(r"[A-Z]{2}[ie]\.\d{3}")),
              ("uk_sanctions_list", re.compile(r"[A-Z]{3}\d{4}")))
# Where the party's name ends: a bracket, a clause mark, or a relative clause ("... who
# has", "... which controls", "... he is", "... and representative of").
_PARTY_END = re.compile(r"\s*(?:\(|;|,|:|\.(?:\s|$)|\s-\s|$)|\s+(?:who|which|that|whose|"
                        r"he|she|it|they|since|until|as|and(?= [a-z]))\s")
_PARTY_CHARS = 120


def _prose_target(engine: Engine | None, entity: Entity, ref: str) -> Entity | None:
    if engine is None:
        return None
    target = find_entity(engine, entity.list, ref)
    for list_name, pattern in _REF_LISTS:
        if target is None and pattern.fullmatch(ref):
            target = find_entity(engine, list_name, ref)
    return target


def related_statement(engine: Engine | None, entity: Entity, text: str) -> dict[str, Any]:
    """A relation the list states in prose: the statement as published, the relation, the
    party it names (best effort: the words after the relation up to the first bracket
    or clause end) and, where the party's list id follows, its own entry."""
    relation, rest = first_relation(text) or (None, "")
    end = _PARTY_END.search(rest)
    party = rest[: end.start() if end else len(rest)].strip() or None
    if party is not None and len(party) > _PARTY_CHARS:
        party = None
    ref_match = _PROSE_REF.match(rest, len(party or ""))
    ref = ref_match.group(1) if ref_match else None
    target = _prose_target(engine, entity, ref) if ref else None
    return {"relation": relation, "party": party, "ref": ref,
            "list": target.list if target else None,
            "source_id": target.source_id if target else None,
            "entity_url": entity_url(target.list, target.source_id) if target else None,
            "text": text}


# Who publishes what: the title an analyst sees beside each document link.
_PUBLISHERS = (
    ("sanctionssearch.ofac.treas.gov", "OFAC Sanctions List Search: this entry"),
    ("treasury.gov", "U.S. Department of the Treasury"),
    ("treas.gov", "U.S. Department of the Treasury"),
    ("interpol.int", "INTERPOL-UN Security Council Special Notice"),
    ("un.org", "United Nations Security Council"),
    ("eur-lex.europa.eu", "EUR-Lex: the act in the Official Journal of the EU"),
    ("europa.eu", "European Union"),
    ("gov.uk", "UK government"),
    ("opensanctions.org", "OpenSanctions: this entity"),
    ("state.gov", "U.S. Department of State"),
    ("doc.gov", "U.S. Department of Commerce"),
    ("trade.gov", "U.S. International Trade Administration"),
    ("gov.ua", "Government of Ukraine"),
)


def document(url: str) -> dict[str, str]:
    host = (urlsplit(url).hostname or "").lower()
    title = next((t for d, t in _PUBLISHERS if host == d or host.endswith("." + d)), host)
    return {"url": url, "title": title}


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
        "related_statements": [related_statement(engine, entity, t)
                               for t in entity.related_text],
        "documents": [document(u) for u in entity.urls],
        "list_version": version,
    }
