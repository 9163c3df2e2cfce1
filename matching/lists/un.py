"""UN Security Council Consolidated List XML (CONSOLIDATED_LIST / INDIVIDUALS / ENTITIES).

source_id is the UN reference number ("KPi.001"). Alias QUALITY "Low" is a weak
alias; "Good", "a.k.a." and "f.k.a." are strong; NAME_ORIGINAL_SCRIPT is a strong alias.
Other UN entries named in the comments ("associated with ... (QDe.115)") are its links.
UN entities carry no finer type, so they are all "LegalEntity".
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from matching.errors import ListFormatError
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
from matching.lists.xmlsafe import child_text, children, iter_xml, local, text_of
from matching.model import Entity, LoadedList

NAME = "un_sc"
TITLE = "United Nations Security Council Consolidated List"
AUTHORITY = "United Nations Security Council"


# Another UN entry named in the comments: "(QDe.115)", "KPe.010".
UN_REF = re.compile(r"\b([A-Z]{2}[ie]\.\d{3})\b")
_ORIGINAL = re.compile(r"^(.*?)\s*\(original script:\s*(.+?)\)\s*$", re.I)


def _split_script(name: str) -> list[str]:
    """'Abu Muhammad (original script: Абу Мухаммад)' -> both names."""
    m = _ORIGINAL.match(name)
    return [m.group(1), m.group(2)] if m else [name]


def _dob(el: Element) -> list[str]:
    kind = child_text(el, "TYPE_OF_DATE").upper()
    date = child_text(el, "DATE")[:10]
    year = child_text(el, "YEAR")
    if kind == "BETWEEN":
        a, b = child_text(el, "FROM_YEAR"), child_text(el, "TO_YEAR")
        if a and b:
            return [f"{a}..{b}"]
    value = date or year
    if not value:
        return parse_dates(child_text(el, "NOTE"))
    return [("~" + value) if kind == "APPROXIMATELY" else value]


def _document(entity: Entity, el: Element) -> None:
    kind = child_text(el, "TYPE_OF_DOCUMENT").lower()
    number = child_text(el, "NUMBER")
    if "passport" in kind or "pasaporte" in kind or "passeport" in kind:
        add_identifier(entity, "passport", number)
    elif "national" in kind:
        add_identifier(entity, "national_id", number)
    else:
        add_identifier(entity, "other", number)


def _entity(el: Element, person: bool) -> Entity:
    parts = [child_text(el, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    ref = child_text(el, "REFERENCE_NUMBER") or child_text(el, "DATAID")
    entity = Entity(
        list=NAME,
        source_id=ref,
        schema="Person" if person else "LegalEntity",
        name=" ".join(p for p in parts if p),
    )
    if not entity.name:
        raise ListFormatError("", f"<{local(el.tag)}> {ref}", "entry has no name")
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    for alias in children(el, alias_tag):
        target = (
            entity.weak_aliases if child_text(alias, "QUALITY").lower() == "low" else entity.aliases
        )
        target.extend(_split_script(child_text(alias, "ALIAS_NAME")))
    entity.aliases.append(child_text(el, "NAME_ORIGINAL_SCRIPT"))
    for dob in children(el, "INDIVIDUAL_DATE_OF_BIRTH"):
        entity.birth_dates.extend(_dob(dob))
    for pob in children(el, "INDIVIDUAL_PLACE_OF_BIRTH"):
        entity.birth_places.append(place(*(child_text(pob, t) for t in (
            "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE"))))
    for nat in children(el, "NATIONALITY"):
        for value in children(nat, "VALUE"):
            add_country(entity, text_of(value), nationality=True)
    for addr in children(el, alias_tag.replace("ALIAS", "ADDRESS")):
        add_country(entity, child_text(addr, "COUNTRY"))
    for doc in children(el, "INDIVIDUAL_DOCUMENT"):
        _document(entity, doc)
    entity.gender = norm_gender(child_text(el, "GENDER"))
    entity.programs = [child_text(el, "UN_LIST_TYPE")]
    entity.listed_on = child_text(el, "LISTED_ON")[:10] or None
    entity.reason = clean(child_text(el, "COMMENTS1")) or None
    entity.links = [r for r in UN_REF.findall(entity.reason or "") if r != ref]
    entity.related_text = related_statements(entity.reason)
    entity.urls = official_urls(entity.reason)
    return entity


def load_un(path: Path) -> LoadedList:
    stream = iter_xml(path, "CONSOLIDATED_LIST", frozenset({"INDIVIDUAL", "ENTITY"}))
    root = next(stream)
    entities: list[Entity] = []
    counts = {"INDIVIDUAL": 0, "ENTITY": 0}
    for el in stream:
        tag = local(el.tag)
        counts[tag] += 1
        try:
            entities.append(_entity(el, tag == "INDIVIDUAL"))
        except ListFormatError as exc:
            raise ListFormatError(str(path), f"<{tag}> #{counts[tag]}", exc.problem) from exc
    published = (root.get("dateGenerated") or "")[:10] or None
    return make_list(
        name=NAME,
        title=TITLE,
        authority=AUTHORITY,
        source=path,
        fmt="un_xml",
        published=published,
        files=[path],
        entities=entities,
    )
