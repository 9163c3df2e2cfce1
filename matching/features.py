"""Secondary features: date of birth, country/nationality, gender, schema and
identifiers. Each returns an additive effect on the name score plus a note."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from matching.model import Entity

DOB_EXACT = 0.06
DOB_YEAR = 0.03
DOB_CONFLICT = -0.12
COUNTRY_MATCH = 0.02
COUNTRY_CONFLICT = -0.04
GENDER_MATCH = 0.01
GENDER_CONFLICT = -0.10
SCHEMA_CONFLICT = -0.15
IDENTIFIER_MATCH_SCORE = 0.99  # an exact identifier is decisive whatever the name
IMO_CONFLICT = -0.20  # same name, another ship

_ORG = {"Organization", "Company", "LegalEntity"}
_DATE = re.compile(r"^~?(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(slots=True)
class Effect:
    feature: str
    query: Any
    list: Any
    effect: float
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "query": self.query,
            "list": self.list,
            "effect": round(self.effect, 4),
            "note": self.note,
        }


def normalize_identifier(value: str) -> str:
    """'IMO 9161003' -> '9161003'; 'No. 723 367854' -> '723367854'."""
    v = re.sub(r"[^0-9a-z]", "", value.lower())
    for prefix in ("imo", "mmsi", "no", "nr"):
        if v.startswith(prefix) and len(v) > len(prefix) + 4 and v[len(prefix)].isdigit():
            return v[len(prefix) :]
    return v


def _span(date: str) -> tuple[int, int, str | None, bool] | None:
    """(first year, last year, full date or None, circa) of one published date."""
    circa = date.startswith("~")
    d = date.lstrip("~").strip()
    if ".." in d:
        a, b = d.split("..", 1)
        ma, mb = _DATE.match(a.strip()), _DATE.match(b.strip())
        if not ma or not mb:
            return None
        return int(ma.group(1)), int(mb.group(1)), None, circa
    m = _DATE.match(d)
    if not m:
        return None
    y = int(m.group(1))
    full = d if m.group(3) else None
    return y, y, full, circa


def dob_effect(query: str | None, entity: Entity) -> Effect | None:
    if not query or not entity.birth_dates:
        return None
    q = _span(query)
    if q is None:
        return None
    qy, _, qfull, _ = q
    best: Effect | None = None
    for published in entity.birth_dates:
        e = _span(published)
        if e is None:
            continue
        lo, hi, full, circa = e
        slack = 3 if circa else (1 if lo == hi and full is None else 0)
        if qfull and full and qfull == full:
            eff = Effect("dob", query, published, DOB_EXACT, "same date of birth")
        elif lo <= qy <= hi:
            if qfull and full and qfull != full:
                eff = Effect("dob", query, published, 0.0, "same year, different day")
            else:
                eff = Effect("dob", query, published, DOB_YEAR, "year agrees")
        elif lo - slack <= qy <= hi + slack:
            eff = Effect("dob", query, published, 0.0, "close (circa or one year apart)")
        else:
            eff = Effect("dob", query, published, DOB_CONFLICT, "birth years conflict")
        if best is None or eff.effect > best.effect:
            best = eff
    return best


def country_effect(code: str | None, entity: Entity) -> Effect | None:
    if not code or not entity.countries:
        return None
    if code in entity.countries:
        return Effect("country", code, code, COUNTRY_MATCH, "country agrees")
    return Effect("country", code, entity.countries, COUNTRY_CONFLICT, "no common country")


def _gender(value: str | None) -> str | None:
    if not value:
        return None
    v = value.strip().lower()
    if v in ("m", "male", "man", "м", "муж", "мужской"):
        return "male"
    if v in ("f", "female", "woman", "ж", "жен", "женский"):
        return "female"
    return None


def gender_effect(query: str | None, entity: Entity) -> Effect | None:
    q, e = _gender(query), _gender(entity.gender)
    if q is None or e is None:
        return None
    if q == e:
        return Effect("gender", q, e, GENDER_MATCH, "gender agrees")
    return Effect("gender", q, e, GENDER_CONFLICT, "gender conflicts")


def schema_effect(query: str | None, entity: Entity) -> Effect | None:
    if not query or query == "LegalEntity":
        return None
    e = entity.schema
    if query == e or (query in _ORG and e in _ORG) or e == "LegalEntity":
        return Effect("schema", query, e, 0.0, "schema compatible")
    return Effect("schema", query, e, SCHEMA_CONFLICT, "schema conflicts")


def identifier_effect(query_ids: tuple[str, ...], entity: Entity) -> Effect | None:
    """Exact identifier: decisive (the engine lifts the score). Different IMO numbers on
    both sides: a namesake ship."""
    if not query_ids or not entity.identifiers:
        return None
    published = {normalize_identifier(i.value): i for i in entity.identifiers}
    for q in query_ids:
        hit = published.get(q)
        if hit is not None:
            return Effect("identifier", q, f"{hit.kind}:{hit.value}", 1.0, "identifier matches")
    imos = [normalize_identifier(i.value) for i in entity.identifiers if i.kind == "imo"]
    q_imos = [q for q in query_ids if len(q) == 7 and q.isdigit()]
    if imos and q_imos:
        return Effect("identifier", q_imos[0], imos, IMO_CONFLICT, "IMO numbers differ")
    return None
