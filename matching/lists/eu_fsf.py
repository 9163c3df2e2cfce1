"""EU Financial Sanctions Files (FSF) consolidated XML v1.1 (export / sanctionEntity).

source_id is the EU reference number ("EU.27.28"; logicalId when absent). The first
strong nameAlias in English (else the first strong one) is the name; other strong
nameAliases (any script: Cyrillic, Hangul...) are strong aliases, strong="false" weak.
Birth dates carry circa="true" as "~"; "person" is Person, "enterprise" LegalEntity.
"""

from __future__ import annotations

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
from matching.lists.prose import official_urls, related_statements
from matching.lists.xmlsafe import (
    child,
    child_text,
    children,
    iter_xml,
    parse_items,
    text_of,
)
from matching.model import Entity, LoadedList

NAME = "eu_fsf"
TITLE = "EU Financial Sanctions Files: consolidated list of persons, groups and entities"
AUTHORITY = "European Commission (DG FISMA), on behalf of the Council of the EU"
_SCHEMAS = {
    "person": "Person",
    "enterprise": "LegalEntity",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
_ID_KINDS = {
    "passport": "passport",
    "id": "national_id",
    "regnumber": "registration",
    "tax": "tax",
    "fiscalcode": "tax",
    "imo": "imo",
    "mmsi": "mmsi",
    "ssn": "national_id",
}


def _birthdate(el: Element) -> str | None:
    full = clean(el.get("birthdate"))
    year = clean(el.get("year"))
    month = clean(el.get("monthOfYear"))
    value = full[:10] or (f"{year}-{int(month):02d}" if year and month.isdigit() else year)
    if not value:
        return None
    return "~" + value if el.get("circa") == "true" else value


def _entity(el: Element) -> Entity:
    subject = child(el, "subjectType")
    code = subject.get("code", "") if subject is not None else ""
    ref = clean(el.get("euReferenceNumber")) or clean(el.get("logicalId"))
    entity = Entity(list=NAME, source_id=ref, schema=_SCHEMAS.get(code, "LegalEntity"), name="")
    strong: list[tuple[str, str]] = []
    for alias in children(el, "nameAlias"):
        whole = clean(alias.get("wholeName"))
        if not whole:
            parts = [alias.get(k) for k in ("firstName", "middleName", "lastName")]
            whole = " ".join(clean(p) for p in parts if clean(p))
        if alias.get("strong", "true") == "false":
            entity.weak_aliases.append(whole)
        else:
            strong.append((whole, alias.get("nameLanguage", "")))
        entity.gender = entity.gender or norm_gender(alias.get("gender"))
    names = [n for n, _ in strong if n]
    english = [n for n, lang in strong if n and lang in ("", "EN")]
    if not names and not entity.weak_aliases:
        raise ValueError("sanctionEntity has no name")
    entity.name = (english or names or entity.weak_aliases)[0]
    entity.aliases = names
    for cit in children(el, "citizenship"):
        add_country(entity, cit.get("countryIso2Code") or cit.get("countryDescription"),
                    nationality=True)
    for addr in children(el, "address"):
        add_country(entity, addr.get("countryIso2Code") or addr.get("countryDescription"))
    for bd in children(el, "birthdate"):
        value = _birthdate(bd)
        if value:
            entity.birth_dates.append(value)
        entity.birth_places.append(place(*(bd.get(k) for k in (
            "city", "place", "region", "countryDescription"))))
    for ident in children(el, "identification"):
        kind = _ID_KINDS.get(clean(ident.get("identificationTypeCode")).lower(), "other")
        add_identifier(entity, kind, ident.get("number") or ident.get("latinNumber"))
    dates: list[str] = []
    for reg in children(el, "regulation"):
        entity.programs.append(clean(reg.get("programme")))
        dates.append(clean(reg.get("publicationDate"))[:10])
        entity.urls.append(child_text(reg, "publicationUrl") or clean(reg.get("publicationUrl")))
    entity.listed_on = clean(el.get("designationDate"))[:10] or min(
        (d for d in dates if d), default=None
    )
    entity.reason = clean(el.get("designationDetails")) or child_text(el, "remark") or None
    remarks = [text_of(r) for r in children(el, "remark")]
    entity.related_text = related_statements(el.get("designationDetails"), *remarks)
    entity.urls += official_urls(*remarks)
    return entity


def load_eu_fsf(path: Path) -> LoadedList:
    stream = iter_xml(path, "export", frozenset({"sanctionEntity"}))
    root = next(stream)
    entities = parse_items(path, stream, _entity,
                           lambda i, el: f"<sanctionEntity> #{i} (logicalId {el.get('logicalId')})")
    published = clean(root.get("generationDate"))[:10] or None
    return make_list(
        name=NAME,
        title=TITLE,
        authority=AUTHORITY,
        source=path,
        fmt="eu_fsf_xml",
        published=published,
        files=[path],
        entities=entities,
    )
