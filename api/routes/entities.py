"""GET /v1/entities/{list}/{source_id}: everything the list says about an entity."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from api.auth import SECURITY_SCHEME, tenant_required
from api.compliance_schemas import EntityOut
from api.routes.common import AUTH_RESPONSES
from workers import engines
from workers.compliance.errors import EntityNotFound
from workers.compliance.profiles import find_entity, full_profile

bp = APIBlueprint("entities", __name__, url_prefix="/v1", tag="Entities")


_KR_MOFA = {
    "list": "kr-mofa", "source_id": "KR-MOFA-2024-004", "schema": "Person",
    "name": "Sergey Mikhailovich Kozlov",
    "names": [{"name": "Sergey Mikhailovich Kozlov", "quality": "primary", "script": "latin"},
              {"name": "세르게이 미하일로비치 코즐로프", "quality": "alias", "script": "hangul"}],
    "original_script_names": ["세르게이 미하일로비치 코즐로프"],
    "birth_dates": ["1960-05-31"], "birth_places": [], "countries": ["ru"],
    "nationalities": ["ru"], "gender": "male",
    "identifiers": [{"kind": "passport", "value": "723367854"}], "programs": ["KR-DPRK"],
    "listed_on": "2024-04-02", "reason": "Representative of Intellekt LLC.",
    "links": ["KR-MOFA-2024-003"],
    "related": [{"ref": "KR-MOFA-2024-003", "list": "kr-mofa", "source_id": "KR-MOFA-2024-003",
                 "name": "Intellekt LLC", "schema": "Company",
                 "entity_url": "/v1/entities/kr-mofa/KR-MOFA-2024-003"}],
    "related_statements": [], "documents": [],
    "list_version": {"name": "kr-mofa", "version": "2024-04-02+1a2b3c4d5e6f"},
}
# A UN entry (as the UN file publishes it): a relation and a notice link in its comments.
_UN = {
    "list": "un_sc", "source_id": "CFi.011", "schema": "Person", "name": "SALIM KONY",
    "names": [{"name": "SALIM KONY", "quality": "primary", "script": "latin"},
              {"name": "Salim Saleh Kony", "quality": "alias", "script": "latin"}],
    "original_script_names": [], "birth_dates": ["1991", "1992", "1993"],
    "birth_places": [], "countries": ["cf"], "nationalities": [], "gender": None,
    "identifiers": [], "programs": ["CAR"], "listed_on": "2016-08-23",
    "reason": "Salim Kony is a deputy in the Lord's Resistance Army (LRA) (CFe.002), a "
    "designated entity and the son of LRA leader Joseph Kony (CFi.009), a designated "
    "individual. … INTERPOL-UN Security Council Special Notice web link:"
    "https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals",
    "links": ["CFe.002", "CFi.009"],
    "related": [{"ref": "CFi.009", "list": "un_sc", "source_id": "CFi.009",
                 "name": "JOSEPH KONY", "schema": "Person",
                 "entity_url": "/v1/entities/un_sc/CFi.009"}],
    "related_statements": [{
        "relation": "son of", "party": "LRA leader Joseph Kony", "ref": "CFi.009",
        "list": "un_sc", "source_id": "CFi.009", "entity_url": "/v1/entities/un_sc/CFi.009",
        "text": "Salim Kony is a deputy in the Lord's Resistance Army (LRA) (CFe.002), a "
        "designated entity and the son of LRA leader Joseph Kony (CFi.009), a designated "
        "individual."}],
    "documents": [{
        "url": "https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals",
        "title": "INTERPOL-UN Security Council Special Notice"}],
    "list_version": {"name": "un_sc", "version": "2026-02-27+9f8e7d6c5b4a"},
}


@bp.get("/entities/<list_name>/<source_id>")
@tenant_required
@bp.output(EntityOut, examples={
    "kr-mofa": {"summary": "The client's case: Hangul name, a related entry on the list",
                "value": _KR_MOFA},
    "un_sc": {"summary": "A UN entry: a relation stated in prose, an INTERPOL-UN notice",
              "value": _UN}})
@bp.doc(
    summary="An entity's full profile",
    description="All names with their quality and script (original-script names listed "
    "apart), birth dates and places, countries (nationalities apart), gender, "
    "identifiers, programmes, listing date, reason, links and the related parties they "
    "name (resolved to their own entry and profile link where the list gives an id on a "
    "list in force, else the name as published), related parties named only in the "
    "list's prose (`related_statements`: UN comments, UK other information, EU remarks), "
    "official web pages about the entry (`documents`), and the list version, from the "
    "lists in force. Each match links here (`entity_url`).",
    security=SECURITY_SCHEME,
    responses={404: "No such entity in the lists in force.", **AUTH_RESPONSES},
)
def get_entity(list_name: str, source_id: str) -> Any:
    engine = engines.current_engine()
    entity = find_entity(engine, list_name, source_id)
    if entity is None:
        raise EntityNotFound(
            f"No entity {source_id!r} on list {list_name!r} in the lists in force: "
            "GET /v1/lists shows them.", field="source_id")
    version = next((v for v in engine.versions() if v.get("name") == list_name), None)
    return full_profile(entity, version, engine)
