"""Secondary features: date of birth, country/nationality, gender, schema and
identifiers. Each returns an additive effect on the name score plus a note."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from matching.config import WEIGHTS
from matching.model import Entity

# The weights live in matching.config (one object, hashed onto every result).
NAMESAKE_YEAR_GAP = 5

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


def dob_effect(
    query: str | None, entity: Entity, namesake_gap: int = NAMESAKE_YEAR_GAP,
    dates: list[str] | None = None,
) -> Effect | None:
    """Graded by the gap: the same year or one apart barely matters (data-entry slips);
    from `namesake_gap` years on it is strong evidence of another person, more so when
    both full dates are known. `dates`: the published dates to use when the entity has
    none of its own (its party's, on other lists)."""
    published_dates = entity.birth_dates or dates
    if not query or not published_dates:
        return None
    q = _span(query)
    if q is None:
        return None
    qy, _, qfull, _ = q
    w = WEIGHTS
    best: Effect | None = None
    for published in published_dates:
        e = _span(published)
        if e is None:
            continue
        lo, hi, full, circa = e
        slack = 3 if circa else (1 if lo == hi and full is None else 0)
        gap = 0 if lo <= qy <= hi else min(abs(qy - lo), abs(qy - hi))
        if qfull and full and qfull == full:
            eff = Effect("dob", query, published, w.dob_exact, "same date of birth")
        elif gap == 0:
            if qfull and full and qfull[5:7] != full[5:7] and qfull[8:] != full[8:]:
                eff = Effect("dob", query, published, w.dob_day_month_conflict,
                             "same year, day and month differ")
            elif qfull and full:
                eff = Effect("dob", query, published, 0.0, "same year, day or month differs")
            else:
                eff = Effect("dob", query, published, w.dob_year, "year agrees")
        elif gap <= max(slack, 1):
            eff = Effect("dob", query, published, w.dob_near, "close (circa or one year apart)")
        elif gap < namesake_gap:
            eff = Effect("dob", query, published, w.dob_gap, f"birth years {gap} apart")
        elif qfull and full:
            eff = Effect("dob", query, published, w.dob_namesake_full,
                         f"birth dates {gap} years apart: another person")
        else:
            eff = Effect("dob", query, published, w.dob_namesake,
                         f"birth years {gap} apart: another person")
        if best is None or eff.effect > best.effect:
            best = eff
    return best


def country_effect(code: str | None, entity: Entity) -> Effect | None:
    if not code or not entity.countries:
        return None
    if code in entity.countries:
        return Effect("country", code, code, WEIGHTS.country_match, "country agrees")
    return Effect("country", code, entity.countries, WEIGHTS.country_conflict, "no common country")


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
        return Effect("gender", q, e, WEIGHTS.gender_match, "gender agrees")
    return Effect("gender", q, e, WEIGHTS.gender_conflict, "gender conflicts")


_PERSON_LIKE = {"Person"}
_CRAFT = {"Vessel", "Airplane"}


def types_conflict(query: str | None, listed: str) -> bool:
    """True when a record of type `query` can never be the listed party of type `listed`:
    person vs organisation or craft, organisation vs craft. LegalEntity (type unknown on
    the list) conflicts only with craft."""
    if not query or query == listed:
        return False
    kinds = []
    for s in (query, listed):
        if s in _PERSON_LIKE:
            kinds.append("person")
        elif s in _CRAFT:
            kinds.append("craft")
        elif s == "LegalEntity":
            kinds.append("any-party")
        else:
            kinds.append("org")
    a, b = kinds
    if "any-party" in kinds:
        return "craft" in kinds
    return a != b


def schema_effect(
    query: str | None, entity: Entity, strict: bool = False, listed: str | None = None
) -> Effect | None:
    """`listed`: the entity's type as the engine reads it (a LegalEntity named
    "NOVAK OOO" is a company)."""
    if not query or query == "LegalEntity":
        return None
    e = listed or entity.schema
    if not types_conflict(query, e):
        return Effect("schema", query, e, 0.0, "schema compatible")
    if strict:
        return Effect("schema", query, e, -1.0, "types differ: never alerts on name alone")
    return Effect("schema", query, e, WEIGHTS.schema_conflict, "schema conflicts")


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
        return Effect("identifier", q_imos[0], imos, WEIGHTS.imo_conflict, "IMO numbers differ")
    return None
