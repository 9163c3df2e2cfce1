"""Data types shared by loaders, the engine and every caller.

Conventions (loaders must follow them, the engine relies on them):
- `Entity.schema` is one of SCHEMAS.
- Birth dates are strings: "YYYY", "YYYY-MM", "YYYY-MM-DD"; a range is "YYYY..YYYY"
  (or full dates on both sides); a circa date is prefixed with "~" ("~1960").
- Countries are ISO 3166-1 alpha-2, lower case ("ru", "kp"), see matching.countries.
- Identifier kinds: imo, mmsi, passport, tax, registration, national_id, other.
  Values are kept as published; comparison normalises them.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Any

SCHEMAS = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")
IDENTIFIER_KINDS = ("imo", "mmsi", "passport", "tax", "registration", "national_id", "other")


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: str
    value: str


@dataclass(slots=True)
class Entity:
    """One designated party as one list publishes it."""

    list: str
    source_id: str
    schema: str
    name: str
    aliases: builtins.list[str] = field(default_factory=builtins.list)
    weak_aliases: builtins.list[str] = field(default_factory=builtins.list)
    birth_dates: builtins.list[str] = field(default_factory=builtins.list)
    # As published ("Pyongyang, North Korea"): shown to analysts, never matched on.
    birth_places: builtins.list[str] = field(default_factory=builtins.list)
    countries: builtins.list[str] = field(default_factory=builtins.list)
    # The subset of `countries` the list gives as nationality or citizenship (the rest
    # are addresses, flags, jurisdictions); matching uses `countries`.
    nationalities: builtins.list[str] = field(default_factory=builtins.list)
    gender: str | None = None
    identifiers: builtins.list[Identifier] = field(default_factory=builtins.list)
    programs: builtins.list[str] = field(default_factory=builtins.list)
    listed_on: str | None = None
    # Related parties the list names: another entry's source_id on the same list, or
    # "list:source_id" on another list, or (no id given) the party's name.
    links: builtins.list[str] = field(default_factory=builtins.list)
    reason: str | None = None
    # Related parties the list names only in prose ("Associated with X", "(Parent
    # company):X"): each statement as published (see matching.lists.prose).
    related_text: builtins.list[str] = field(default_factory=builtins.list)
    # Official web pages about this entry: given in the file (a publication URL, an
    # INTERPOL-UN notice) or built from the entry's id where the source publishes one
    # page per entry (OFAC's search, OpenSanctions, EUR-Lex by CELEX number).
    urls: builtins.list[str] = field(default_factory=builtins.list)

    def all_names(self) -> builtins.list[tuple[str, str]]:
        """(name, quality) pairs: quality is "primary", "alias" or "weak"."""
        out = [(self.name, "primary")]
        out += [(a, "alias") for a in self.aliases if a and a != self.name]
        out += [(a, "weak") for a in self.weak_aliases if a]
        return out


@dataclass(slots=True)
class ListMeta:
    """What a loaded list records about itself (shown by `lists show`, GET /v1/lists)."""

    name: str
    title: str
    authority: str
    source: str
    format: str
    published: str | None
    content_hash: str
    entity_count: int
    name_count: int
    loaded_at: str

    def version(self) -> str:
        return f"{self.published or 'undated'}+{self.content_hash[:12]}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "authority": self.authority,
            "source": self.source,
            "format": self.format,
            "published": self.published,
            "content_hash": self.content_hash,
            "version": self.version(),
            "entity_count": self.entity_count,
            "name_count": self.name_count,
            "loaded_at": self.loaded_at,
        }


@dataclass(slots=True)
class LoadedList:
    meta: ListMeta
    entities: list[Entity]


@dataclass(slots=True)
class Query:
    """One record to screen. Only `name` is required."""

    name: str
    id: str | None = None
    schema: str | None = None
    birth_date: str | None = None
    country: str | None = None
    identifiers: list[str] = field(default_factory=list)
    gender: str | None = None


@dataclass(slots=True)
class Match:
    """One hit: which entity, through which of its names, with what score and why."""

    list: str
    source_id: str
    schema: str
    name: str
    matched_name: str
    score: float
    explanation: dict[str, Any]
    # Every list entry of the same party ({list, source_id}), this one first.
    sources: builtins.list[dict[str, str]] = field(default_factory=builtins.list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "source_id": self.source_id,
            "schema": self.schema,
            "name": self.name,
            "matched_name": self.matched_name,
            "score": round(self.score, 4),
            "explanation": self.explanation,
            "sources": self.sources or [{"list": self.list, "source_id": self.source_id}],
        }
