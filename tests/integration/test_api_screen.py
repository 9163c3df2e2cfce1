"""The instant check answers exactly as the batch path for the same records (same engine
function, same options, same list versions); invalid input is 400 naming the field;
/v1/lists, /healthz, /readyz and /metrics report the live state."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import ApiClient

RECORDS: list[dict[str, Any]] = [
    {"id": "cyr", "name": "Козлов Сергей Михайлович", "birth_date": "1960-05-31"},
    {"id": "lat", "name": "Sergei Kozlov", "nationality": "ru"},
    {"id": "han", "name": "김영복"},
    {"id": "org", "name": "ООО Интеллект", "schema": "Company"},
    {"id": "ves", "name": "LADY R", "schema": "Vessel", "identifiers": ["IMO 9161003"]},
    {"id": "neg", "name": "Maria Fernanda Oliveira"},
]


def _same(matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert all(m["hit_id"] for m in matches)
    return [{k: v for k, v in m.items() if k != "hit_id"} for m in matches]


@pytest.mark.parametrize("threshold", [None, 0.6])
def test_instant_check_and_batch_agree(api_client: ApiClient, threshold: float | None) -> None:
    options = {} if threshold is None else {"threshold": threshold}
    job = api_client.post("/v1/jobs", json={"records": RECORDS, **options}).get_json()
    api_client.wait_finished(job["id"])
    batch = api_client.get(f"/v1/jobs/{job['id']}/results").get_json()["results"]
    assert sum(1 for r in batch if r["matches"]) >= 2  # the comparison is not vacuous
    for record, from_batch in zip(RECORDS, batch, strict=True):
        response = api_client.post("/v1/screen", json={**record, **options})
        assert response.status_code == 200, response.get_json()
        instant = response.get_json()
        assert instant["result"]["id"] == record["id"]
        # Everything but the hit id, which is unique per screening (issue 11).
        assert _same(instant["result"]["matches"]) == _same(from_batch["matches"]), record["id"]
        assert instant["hit"] == bool(from_batch["matches"])
        assert instant["lists"] == job["lists"]
        assert instant["threshold"] == job["options"]["threshold"]


def test_instant_check_reports_algorithm_and_timing(api_client: ApiClient) -> None:
    body = api_client.post("/v1/screen", json={"name": "Козлов Сергей"}).get_json()
    assert body["algorithm"]["name"] and body["algorithm"]["version"]
    assert body["took_ms"] >= 0


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": "A", "birth_date": "yesterday"}, "birth_date"),
     ({"name": "A", "schema": "Spaceship"}, "schema"),
     ({"birth_date": "1960"}, "name"),
     ({"name": "A", "lists": ["nope"]}, "lists"),
     ({"name": "A", "salary": 1}, "salary")],
)
def test_invalid_instant_check_is_400_naming_the_field(
    api_client: ApiClient, body: dict[str, Any], field: str
) -> None:
    response = api_client.post("/v1/screen", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["field"] == field


def test_lists_shows_loaded_versions(api_client: ApiClient) -> None:
    body = api_client.get("/v1/lists").get_json()
    names = [item["name"] for item in body["lists"]]
    assert "kr-mofa" in names and body["key"]
    assert all(item["version"] for item in body["lists"])


def test_health_ready_and_metrics(api_client: ApiClient) -> None:
    raw = api_client.client
    assert raw.get("/healthz").get_json() == {"status": "ok"}
    ready = raw.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json()["checks"]["workers"].endswith("alive")
    api_client.post("/v1/screen", json={"name": "LADY R"})
    assert raw.get("/metrics").status_code == 404  # no token configured: disabled
    assert api_client.get("/metrics").status_code == 404  # a tenant key changes nothing
    api_client.app.config["METRICS_TOKEN"] = "scrape-secret"
    try:
        assert raw.get("/metrics").status_code == 401
        assert api_client.get("/metrics").status_code == 401, "tenant keys never see metrics"
        scraped = raw.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})
    finally:
        api_client.app.config["METRICS_TOKEN"] = ""
    assert scraped.status_code == 200
    text = scraped.get_data(as_text=True)
    for name in ("screening_jobs{state=\"completed\"}", "screening_queue_depth",
                 "screening_records_per_second", "screening_job_records_screened",
                 "screening_instant_check_seconds_bucket", "screening_chunk_seconds_bucket"):
        assert name in text, name


def test_readyz_is_503_without_a_worker(redis_server: str) -> None:
    from api.app import create_app

    app = create_app({"REDIS_URL": redis_server, "KEY_PREFIX": "no-workers-here:"})
    app.extensions["screening_warmup"].done.wait(60)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "not_ready"
    assert any("worker" in reason for reason in error["details"]["reasons"])
