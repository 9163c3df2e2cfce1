"""FCDO UK Sanctions List XML (Designations / Designation, schema 4.x).

source_id is the UniqueID ("DPR0075"). NameType "Primary Name" (any casing) is the
name; aliases with AliasStrength "Low quality..." are weak, others strong;
NonLatinNames are strong aliases. IMONumber "IMO9562233" is stored as "9562233".
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from matching.lists.common import (
    add_country,
    add_identifier,
    clean,
    make_list,
    norm_gender,
    place,
)
from matching.lists.dates import parse_dates
from matching.lists.prose import official_urls, related_statements
from matching.lists.un import NAME as UN_NAME
from matching.lists.un import UN_REF
from matching.lists.xmlsafe import child_text, iter_xml, local, parse_items, text_of
from matching.model import Entity, LoadedList

NAME = "uk_sanctions_list"
TITLE = "UK Sanctions List"
AUTHORITY = "Foreign, Commonwealth & Development Office (FCDO)"
_SCHEMAS = {"individual": "Person", "entity": "LegalEntity", "ship": "Vessel"}


def _all(el: Element, name: str) -> list[Element]:
    return [e for e in el.iter() if local(e.tag) == name]


def _texts(el: Element, name: str) -> list[str]:
    return [t for t in (clean(text_of(e)) for e in _all(el, name)) if t]


def _entity(el: Element) -> Entity:
    uid = child_text(el, "UniqueID")
    kind = child_text(el, "IndividualEntityShip").lower()
    entity = Entity(list=NAME, source_id=uid, schema=_SCHEMAS.get(kind, "LegalEntity"), name="")
    for name_el in _all(el, "Name"):
        parts = [child_text(name_el, f"Name{i}") for i in range(1, 7)]
        full = " ".join(p for p in parts if p)
        ntype = child_text(name_el, "NameType").lower()
        if ntype == "primary name" and not entity.name:
            entity.name = full
        elif "low" in child_text(name_el, "AliasStrength").lower():
            entity.weak_aliases.append(full)
        else:
            entity.aliases.append(full)
    if not entity.name:
        if not entity.aliases:
            raise ValueError("designation has no name")
        entity.name = entity.aliases.pop(0)
    entity.aliases += _texts(el, "NameNonLatinScript")
    for dob in _texts(el, "DOB"):
        entity.birth_dates.extend(parse_dates(dob))
    for details in _all(el, "BirthDetails"):
        for location in _all(details, "Location"):
            entity.birth_places.append(place(child_text(location, "TownOfBirth"),
                                             child_text(location, "CountryOfBirth")))
    # UN entries the designation names ("a cousin of ... (QDi.277)"), on the UN list.
    entity.links = [f"{UN_NAME}:{ref}" for ref in UN_REF.findall(
        " ".join(_texts(el, "OtherInformation")))]
    for tag in ("Nationality", "AddressCountry", "CurrentBelievedFlagOfShip"):
        for value in _texts(el, tag):
            add_country(entity, value, nationality=tag == "Nationality")
    for value in _texts(el, "Gender"):
        entity.gender = entity.gender or norm_gender(value)
    for value in _texts(el, "PassportNumber"):
        add_identifier(entity, "passport", value)
    for value in _texts(el, "NationalIdentifierNumber"):
        add_identifier(entity, "national_id", value)
    for value in _texts(el, "BusinessRegistrationNumber"):
        add_identifier(entity, "registration", value)
    for value in _texts(el, "IMONumber"):
        add_identifier(entity, "imo", re.sub(r"^IMO\s*", "", value, flags=re.I))
    entity.programs = _texts(el, "RegimeName")
    listed = parse_dates(child_text(el, "DateDesignated"))
    entity.listed_on = listed[0] if listed else None
    entity.reason = child_text(el, "UKStatementofReasons") or None
    other = _texts(el, "OtherInformation")
    entity.related_text = related_statements(*other, entity.reason)
    entity.urls = official_urls(*other)
    return entity


def load_uk_sl(path: Path) -> LoadedList:
    stream = iter_xml(path, "Designations", frozenset({"Designation"}))
    root = next(stream)
    entities = parse_items(
        path, stream, _entity,
        lambda i, el: f"<Designation> #{i} ({child_text(el, 'UniqueID') or 'no UniqueID'})")
    dates = parse_dates(child_text(root, "DateGenerated")) or parse_dates(root.get("dateGenerated"))
    return make_list(
        name=NAME,
        title=TITLE,
        authority=AUTHORITY,
        source=path,
        fmt="uk_sl_xml",
        published=dates[0] if dates else None,
        files=[path],
        entities=entities,
    )
