"""Batch jobs through the real pipeline (in-process API -> real Redis -> real Celery worker):
a submitted job is validated whole, stored, queued and completed; results page in stable
input order with explanations; retries with an Idempotency-Key return the original job;
CSV uploads work and invalid ones are rejected whole with row-numbered errors; limits
answer 413/429 in the error shape; DELETE cancels a running job and purges a finished one."""

from __future__ import annotations

import io
import json
import threading
import time
from typing import Any

import pytest

from api.app import create_app
from tests.integration.conftest import ApiClient, new_tenant

KOZLOV = "Козлов Сергей Михайлович"


def _records(n: int, hit_every: int = 0) -> list[dict[str, Any]]:
    out = [{"id": f"r{i}", "name": f"Person Number{i} Testcase"} for i in range(n)]
    if hit_every:
        for i in range(0, n, hit_every):
            out[i]["name"] = KOZLOV
    return out


def _submit(client: ApiClient, records: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/jobs", json={"records": records, **extra})
    assert response.status_code == 202, response.get_json()
    body: dict[str, Any] = response.get_json()
    assert response.headers["Location"] == f"/v1/jobs/{body['id']}"
    return body


def _all_results(client: ApiClient, job_id: str, limit: int, **params: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = ""
    while True:
        query = "&".join(f"{k}={v}" for k, v in {"limit": str(limit), **params}.items())
        page = client.get(f"/v1/jobs/{job_id}/results?{query}&cursor={cursor}").get_json()
        assert len(page["results"]) <= limit
        out += page["results"]
        if page["next_cursor"] is None:
            assert page["complete"] is True
            return out
        cursor = page["next_cursor"]


def test_json_job_is_screened_by_the_worker_with_explanations(api_client: ApiClient) -> None:
    records = [{"id": "a", "name": KOZLOV, "birth_date": "1960-05-31"},
               {"id": "b", "name": "Jane Nobody", "nationality": "fr"},
               {"id": "c", "name": "LADY R", "schema": "Vessel"}]
    job = _submit(api_client, records, reference="nightly-1")
    assert job["status"] == "queued" and job["progress"]["total"] == 3
    assert job["reference"] == "nightly-1"
    assert job["lists"] and job["lists"][0]["version"]
    done = api_client.wait_finished(job["id"])
    assert done["status"] == "completed"
    assert done["progress"]["done"] == 3 and done["progress"]["percent"] == 100.0
    assert done["hits"] == 2
    assert done["started_at"] and done["finished_at"]
    page = api_client.get(f"/v1/jobs/{job['id']}/results").get_json()
    assert [r["id"] for r in page["results"]] == ["a", "b", "c"]
    top = page["results"][0]["matches"][0]
    assert top["list"] == "kr-mofa" and top["explanation"]["algorithm"]["name"]
    assert page["results"][1]["matches"] == []


def test_polling_an_unfinished_job_carries_retry_after(
    api_client: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workers.settings.CHUNK_SIZE", 10)
    monkeypatch.setattr("workers.settings.JOB_PARALLELISM", 1)  # one chunk at a time: slow
    job = _submit(api_client, _records(3000))
    response = api_client.get(f"/v1/jobs/{job['id']}")
    assert response.get_json()["status"] in ("queued", "running")
    assert 1 <= int(response.headers["Retry-After"]) <= 30
    deadline = time.monotonic() + 60
    while response.get_json()["progress"]["done"] == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
        response = api_client.get(f"/v1/jobs/{job['id']}")
    running = response.get_json()
    assert running["status"] == "running" and running["progress"]["records_per_second"] > 0
    assert running["progress"]["estimated_finish"] is not None
    api_client.delete(f"/v1/jobs/{job['id']}")
    finished = api_client.get(f"/v1/jobs/{job['id']}")
    assert finished.get_json()["status"] == "cancelled"
    assert "Retry-After" not in finished.headers


def test_idempotent_retry_returns_the_original_job(api_client: ApiClient) -> None:
    body = {"records": _records(3)}
    headers = {"Idempotency-Key": "batch-2026-11-27"}
    first = api_client.post("/v1/jobs", json=body, headers=headers)
    again = api_client.post("/v1/jobs", json=body, headers=headers)
    assert first.status_code == 202 and again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Location"] == first.headers["Location"]
    listed = api_client.get("/v1/jobs").get_json()["jobs"]
    assert [j["id"] for j in listed] == [first.get_json()["id"]]
    other = api_client.post("/v1/jobs", json={"records": _records(4)}, headers=headers)
    assert other.status_code == 409
    assert other.get_json()["error"]["code"] == "idempotency_key_reused"


def test_concurrent_retries_with_one_key_create_one_job(api_client: ApiClient) -> None:
    # The retry arrives while the first attempt is still validating a large batch.
    body = {"records": _records(20_000)}
    headers = {"Authorization": f"Bearer {api_client.key}", "Idempotency-Key": "race-1"}
    answers: list[Any] = []

    def post() -> None:
        response = api_client.app.test_client().post("/v1/jobs", json=body, headers=headers)
        answers.append((response.status_code, response.get_json()["id"]))

    threads = [threading.Thread(target=post) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in answers) == [200, 200, 202]
    assert len({job_id for _, job_id in answers}) == 1
    assert len(api_client.get("/v1/jobs").get_json()["jobs"]) == 1
    api_client.delete(f"/v1/jobs/{answers[0][1]}")


def test_invalid_records_reject_the_whole_job_and_store_nothing(api_client: ApiClient) -> None:
    records = [{"id": "1", "name": "Fine"}, {"id": "2", "name": "X", "birth_date": "31/05/1960"},
               {"id": "3"}, {"id": "4", "name": "Y", "schema": "Spaceship"}]
    response = api_client.post("/v1/jobs", json={"records": records})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_records"
    problems = {(e["row"], e["field"]) for e in error["details"]["errors"]}
    assert problems == {(2, "birth_date"), (3, "name"), (4, "schema")}
    assert error["details"]["total_errors"] == 3
    assert api_client.get("/v1/jobs").get_json()["jobs"] == []


def test_error_list_is_capped_but_counts_everything(api_client: ApiClient) -> None:
    records = [{"id": str(i), "name": "A", "birth_date": "never"} for i in range(150)]
    error = api_client.post("/v1/jobs", json={"records": records}).get_json()["error"]
    assert len(error["details"]["errors"]) == 100
    assert error["details"]["total_errors"] == 150 and error["details"]["truncated"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [({"records": [{"name": "A"}], "threshold": 2}, "threshold"),
     ({"records": [{"name": "A"}], "lists": ["no-such-list"]}, "lists"),
     ({"records": "nope"}, "records"),
     ({"rows": []}, "rows")],
)
def test_invalid_options_are_400_naming_the_field(
    api_client: ApiClient, body: dict[str, Any], field: str
) -> None:
    response = api_client.post("/v1/jobs", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["field"] == field


def test_malformed_json_and_wrong_content_type_are_4xx(api_client: ApiClient) -> None:
    bad = api_client.post("/v1/jobs", data=b"{not json", content_type="application/json")
    assert bad.status_code == 400 and bad.get_json()["error"]["details"]["field"] == "body"
    xml = api_client.post("/v1/jobs", data=b"<x/>", content_type="application/xml")
    assert xml.status_code == 415


def test_csv_body_and_multipart_upload_are_screened(api_client: ApiClient) -> None:
    csv_text = f"\ufeffid;name;birth_date\nk1;{KOZLOV};1960-05-31\nk2;김영복;\nk3;Jane Doe;\n"
    plain = api_client.post("/v1/jobs?reference=csv-1", data=csv_text.encode(),
                            content_type="text/csv")
    assert plain.status_code == 202, plain.get_json()
    upload = api_client.post(
        "/v1/jobs", data={"file": (io.BytesIO(csv_text.encode()), "batch.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 202, upload.get_json()
    for job in (plain.get_json(), upload.get_json()):
        done = api_client.wait_finished(job["id"])
        assert done["progress"]["total"] == 3 and done["status"] == "completed"
        results = _all_results(api_client, job["id"], 10)
        assert [r["id"] for r in results] == ["k1", "k2", "k3"]
        assert results[0]["matches"]
    assert plain.get_json()["reference"] == "csv-1"


def test_csv_with_errors_is_rejected_with_row_numbers(api_client: ApiClient) -> None:
    csv_text = "id,name,birth_date\n1,Fine,1960\n2,Broken,1960,extra\n3,Bad date,1960-13-01\n4,,\n"
    response = api_client.post("/v1/jobs", data=csv_text.encode(), content_type="text/csv")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_records"
    assert {(e["row"], e["field"]) for e in error["details"]["errors"]} == {
        (2, "row"), (3, "birth_date"), (4, "name")}
    assert api_client.get("/v1/jobs").get_json()["jobs"] == []


def test_csv_with_an_unknown_column_is_rejected(api_client: ApiClient) -> None:
    response = api_client.post("/v1/jobs", data=b"id,fullname\n1,A\n", content_type="text/csv")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_csv"
    assert response.get_json()["error"]["details"]["field"] == "header"


def test_multipart_without_file_part_is_400(api_client: ApiClient) -> None:
    response = api_client.post("/v1/jobs", data={"other": "x"}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["field"] == "file"


def test_too_many_records_for_the_tenant_is_413(api_app: Any, celery_worker: Any) -> None:
    client = new_tenant(api_app, max_batch_size=5)
    response = client.post("/v1/jobs", json={"records": _records(6)})
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_many_records" and error["details"]["max_records"] == 5
    csv_body = ("name\n" + "A\n" * 6).encode()
    assert client.post("/v1/jobs", data=csv_body, content_type="text/csv").status_code == 413


def test_body_over_the_size_limit_is_413(redis_server: str, key_prefix: str) -> None:
    app = create_app({"REDIS_URL": redis_server, "KEY_PREFIX": key_prefix,
                      "MAX_CONTENT_LENGTH": 2048})
    client = new_tenant(app)
    response = client.post("/v1/jobs", json={"records": _records(200)})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_results_page_in_stable_input_order(
    api_client: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workers.settings.CHUNK_SIZE", 7)  # many chunks, pages across them
    job = _submit(api_client, _records(40, hit_every=6))
    api_client.wait_finished(job["id"])
    results = _all_results(api_client, job["id"], 9)
    assert [r["position"] for r in results] == list(range(40))
    assert [r["id"] for r in results] == [f"r{i}" for i in range(40)]
    hits = _all_results(api_client, job["id"], 4, only_hits="true")
    assert [r["position"] for r in hits] == list(range(0, 40, 6))
    assert all(r["matches"] for r in hits)
    again = _all_results(api_client, job["id"], 9)
    assert again == results


def test_bad_cursor_is_400(api_client: ApiClient) -> None:
    job = _submit(api_client, _records(1))
    response = api_client.get(f"/v1/jobs/{job['id']}/results?cursor=abc")
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["field"] == "cursor"


def test_csv_and_jsonl_downloads_stream_every_result(api_client: ApiClient) -> None:
    job = _submit(api_client, _records(12, hit_every=5))
    api_client.wait_finished(job["id"])
    jsonl = api_client.get(f"/v1/jobs/{job['id']}/results?format=jsonl")
    assert jsonl.status_code == 200 and jsonl.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in jsonl.get_data(as_text=True).splitlines()]
    assert [r["id"] for r in lines] == [f"r{i}" for i in range(12)]
    csv_resp = api_client.get(f"/v1/jobs/{job['id']}/results?format=csv&only_hits=true")
    assert csv_resp.mimetype == "text/csv"
    rows = csv_resp.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert rows[0].startswith("id,name,status,hit,match_count,top_list")
    assert [row.split(",")[0] for row in rows[1:]] == ["r0", "r5", "r10"]  # one row each
    assert "attachment" in csv_resp.headers["Content-Disposition"]


def test_listing_jobs_is_paginated_newest_first(api_client: ApiClient) -> None:
    ids = [_submit(api_client, _records(1))["id"] for _ in range(5)]
    for job_id in ids:
        api_client.wait_finished(job_id)
    first = api_client.get("/v1/jobs?limit=2").get_json()
    second = api_client.get(f"/v1/jobs?limit=2&cursor={first['next_cursor']}").get_json()
    third = api_client.get(f"/v1/jobs?limit=2&cursor={second['next_cursor']}").get_json()
    seen = [j["id"] for page in (first, second, third) for j in page["jobs"]]
    assert seen == list(reversed(ids))
    assert third["next_cursor"] is None


def test_cancel_a_running_job_then_purge_it(
    api_client: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workers.settings.CHUNK_SIZE", 10)
    monkeypatch.setattr("workers.settings.JOB_PARALLELISM", 1)  # one chunk at a time: slow
    job = _submit(api_client, _records(5000))
    cancelled = api_client.delete(f"/v1/jobs/{job['id']}")
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled"
    after = api_client.wait_finished(job["id"])
    assert after["status"] == "cancelled" and after["progress"]["done"] < 5000
    purged = api_client.delete(f"/v1/jobs/{job['id']}")
    assert purged.status_code == 204
    assert api_client.get(f"/v1/jobs/{job['id']}").status_code == 404
    assert api_client.get(f"/v1/jobs/{job['id']}/results").status_code == 404


def test_download_of_a_running_job_is_409(
    api_client: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workers.settings.CHUNK_SIZE", 10)
    monkeypatch.setattr("workers.settings.JOB_PARALLELISM", 1)
    job = _submit(api_client, _records(3000))
    response = api_client.get(f"/v1/jobs/{job['id']}/results?format=csv")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "job_not_finished"
    assert api_client.delete(f"/v1/jobs/{job['id']}").status_code == 200


def test_concurrent_job_cap_is_429_saying_what_to_do(
    api_app: Any, celery_worker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workers.settings.CHUNK_SIZE", 10)
    monkeypatch.setattr("workers.settings.JOB_PARALLELISM", 1)
    client = new_tenant(api_app, max_concurrent_jobs=1)
    first = _submit(client, _records(3000))
    second = client.post("/v1/jobs", json={"records": _records(1)})
    assert second.status_code == 429
    error = second.get_json()["error"]
    assert error["code"] == "job_limit_reached" and "cancel" in error["message"]
    assert int(second.headers["Retry-After"]) > 0
    client.delete(f"/v1/jobs/{first['id']}")
    assert client.post("/v1/jobs", json={"records": _records(1)}).status_code == 202
