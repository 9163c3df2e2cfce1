"""Stable fingerprints and ids. A false positive suppresses exactly one pair
(customer record, list entity) while neither side changes, so each side is reduced to a
hash of the fields that matter for the match:

- the record: name, birth date, country and identifiers, as screened (case, spacing and
  Unicode composition ignored; identifier order ignored);
- the entity: its list, id, every name, birth date and identifier as the list publishes
  them (order ignored).
"""

from __future__ import annotations

import base64
import hashlib
import json
import unicodedata
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from matching.model import Entity


def canonical(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same value always gives the same text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _norm(text: str | None) -> str:
    """NFC, whitespace runs folded to one space, trimmed, casefolded. split() and join()
    fold exactly what the regex \\s+ did (both use str.isspace), several times faster;
    ASCII is already NFC."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split()).casefold()


def record_fingerprint(record: Mapping[str, Any]) -> str:
    """The screened fields of a record as the engine reads them (see
    matching.records.query_from_record: `nationality` stands for `country`, identifiers
    come from `identifier` and `identifiers`, a cell may hold several split by ';').
    Records are validated before they are screened, so this does not validate again:
    it runs once per batch record."""
    get = record.get
    country = get("country")
    if country is None:
        country = get("nationality")
    # Unit separators between fields (none survives _norm's whitespace folding): as
    # unambiguous as JSON, several times cheaper.
    text = (f"{_norm(str(get('name') or ''))}\x1f{str(get('birth_date') or '').strip()}"
            f"\x1f{_norm(str(country or ''))}")
    identifiers: set[str] = set()
    for key in ("identifier", "identifiers"):
        value = get(key)
        if value is None or value == "":
            continue  # most records: no identifier at all
        for item in value if isinstance(value, list) else [value]:
            if item is not None and item != "":
                identifiers.update(_norm(p) for p in str(item).split(";") if p.strip())
    if identifiers:
        text = "\x1f".join((text, *sorted(identifiers)))
    return sha256(text)


def entity_fingerprint(entity: Entity) -> str:
    return sha256(canonical({
        "list": entity.list,
        "source_id": entity.source_id,
        "names": sorted({_norm(n) for n, _ in entity.all_names()}),
        "birth_dates": sorted(set(entity.birth_dates)),
        "identifiers": sorted({f"{i.kind}:{_norm(i.value)}" for i in entity.identifiers}),
    }))


def pair_key(record_fp: str, list_name: str, source_id: str, entity_fp: str) -> str:
    return sha256(canonical([record_fp, list_name, source_id, entity_fp]))


def hit_id(tenant: str, screening_id: str, list_name: str, source_id: str) -> str:
    """Deterministic: a redelivered chunk produces the same ids (and inserts nothing)."""
    digest = hashlib.sha256(canonical([tenant, screening_id, list_name, source_id]).encode())
    return "hit_" + base64.urlsafe_b64encode(digest.digest()[:16]).decode().rstrip("=")


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


def now_iso() -> str:
    """ISO 8601 UTC with microseconds: fixed width, so it sorts as text."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def public_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record fields a hit shows (contract: id, name, schema, birth_date, country,
    identifier)."""
    identifier = record.get("identifier")
    if identifier is None and record.get("identifiers"):
        identifier = "; ".join(str(i) for i in record["identifiers"])
    return {
        "id": record.get("id"),
        "name": record.get("name"),
        "schema": record.get("schema"),
        "birth_date": record.get("birth_date"),
        "country": record.get("country") or record.get("nationality"),
        "identifier": identifier,
    }
