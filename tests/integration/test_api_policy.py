"""The matching policy through the real API, Redis and worker: per request (JSON job,
CSV upload, instant check) and per tenant; every result records the policy, algorithm
version and weights hash; a bad policy is 400 naming the field."""

from __future__ import annotations

import json
from typing import Any

from api.tenants import TenantStore
from matching.config import weights_hash
from tests.integration.conftest import ApiClient

ANGARA = {"id": "a", "name": "Angara", "schema": "Company"}  # kr-mofa lists the vessel


def _screen(client: ApiClient, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/screen", json={**ANGARA, **body})
    assert response.status_code == 200, response.get_json()
    return dict(response.get_json())


def test_instant_check_policy_and_its_record(api_client: ApiClient) -> None:
    strict = _screen(api_client)
    assert not strict["hit"]  # a company never alerts on a vessel on name alone
    lax = _screen(api_client, policy={"strict_types": False})
    assert lax["hit"] and lax["result"]["matches"][0]["schema"] == "Vessel"
    assert lax["policy"]["strict_types"] is False
    assert lax["result"]["policy"]["strict_types"] is False
    assert lax["algorithm"]["weights_hash"] == weights_hash()
    assert lax["result"]["matches"][0]["sources"]


def test_job_policy_is_applied_and_recorded_on_every_result(api_client: ApiClient) -> None:
    body = {"records": [ANGARA, {"id": "b", "name": "Maria Schmidt"}],
            "policy": {"strict_types": False, "namesake_year_gap": 7}}
    job = api_client.post("/v1/jobs", json=body).get_json()
    assert job["options"]["policy"]["namesake_year_gap"] == 7
    api_client.wait_finished(job["id"])
    results = api_client.get(f"/v1/jobs/{job['id']}/results").get_json()["results"]
    assert results[0]["matches"] and not results[1]["matches"]
    for result in results:
        assert result["policy"]["strict_types"] is False
        assert result["algorithm"]["weights_hash"] == weights_hash()


def test_csv_upload_takes_the_policy_as_json(api_client: ApiClient) -> None:
    csv = b"id,name,schema\na,Angara,Company\n"
    policy = json.dumps({"strict_types": False})
    response = api_client.post(f"/v1/jobs?policy={policy}", data=csv,
                               headers={"Content-Type": "text/csv"})
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    api_client.wait_finished(job["id"])
    results = api_client.get(f"/v1/jobs/{job['id']}/results").get_json()["results"]
    assert results[0]["matches"]


def test_tenant_policy_applies_and_a_request_overrides_it(
    api_client: ApiClient, api_app: Any
) -> None:
    store: TenantStore = api_app.extensions["screening"].tenants
    store.update_settings(api_client.tenant, policy={"strict_types": False})
    assert _screen(api_client)["hit"]
    assert not _screen(api_client, policy={"strict_types": True})["hit"]


def test_bad_policy_is_400_naming_the_field(api_client: ApiClient) -> None:
    response = api_client.post("/v1/screen", json={**ANGARA, "policy": {"namesake_year_gap": 1}})
    assert response.status_code == 400
    assert "namesake_year_gap" in json.dumps(response.get_json()["error"])
    response = api_client.post("/v1/screen", json={**ANGARA, "policy": {"missing_data": "x"}})
    assert response.status_code == 400
    response = api_client.post("/v1/screen", json={
        **ANGARA, "policy": {"list_thresholds": {"no-such-list": 0.9}}})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["field"] == "policy.list_thresholds"


def test_dates_as_files_write_them_are_accepted(api_client: ApiClient) -> None:
    for date in ("31.05.1960", "1960년 5월 31일", "1967-2-1"):
        response = api_client.post("/v1/screen", json={"name": "Kozlov", "birth_date": date})
        assert response.status_code == 200, (date, response.get_json())
    response = api_client.post("/v1/screen", json={"name": "Kozlov", "birth_date": "1960-02-31"})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["field"] == "birth_date"
