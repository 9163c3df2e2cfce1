"""The compliance record through the real API, Redis and a real Celery worker: a bank
clears a false positive, reruns the batch and sees it suppressed; the customer's birth
date changes and it alerts again. Decisions' bad input, idempotency, four-eyes, the
analysts' queue, entity profiles, the audit trail, and 503 when the database is down
(the endpoints and /readyz, on SQLite and on a real PostgreSQL that is stopped)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from apiflask import APIFlask

from tests.integration.conftest import ApiClient, new_tenant
from workers.compliance import audit
from workers.compliance.db import Database

KOZLOV = {"id": "c-1", "name": "Козлов Сергей Михайлович", "schema": "Person",
          "birth_date": "1960-05-31", "country": "RU"}
OTHERS = [{"id": "c-2", "name": "Maria Schmidt", "birth_date": "1985", "country": "DE"},
          {"id": "c-3", "name": "LADY R", "schema": "Vessel"}]
ANALYST = {"X-Screening-User": "analyst.kim"}


def run_batch(client: ApiClient, records: list[dict[str, Any]]) -> tuple[str, list[Any]]:
    response = client.post("/v1/jobs", json={"records": records})
    assert response.status_code == 202, response.get_json()
    job = response.get_json()["id"]
    assert client.wait_finished(job)["status"] == "completed"
    return job, client.get(f"/v1/jobs/{job}/results").get_json()["results"]


def top(results: list[Any], record_id: str) -> dict[str, Any]:
    found = next(r for r in results if r["id"] == record_id)
    assert found["matches"], f"{record_id} must alert"
    return dict(found["matches"][0])


def test_cleared_false_positive_is_suppressed_until_the_customer_changes(
    api_client: ApiClient,
) -> None:
    job1, results = run_batch(api_client, [KOZLOV, *OTHERS])
    hit = top(results, "c-1")
    assert hit["review"] == {"state": "open", "decision": None}
    assert hit["entity_url"] == f"/v1/entities/{hit['list']}/{hit['source_id']}"
    assert hit["profile"]["birth_dates"] and "reason" in hit["profile"]
    queue = api_client.get(f"/v1/hits?job_id={job1}&state=open").get_json()
    assert hit["hit_id"] in {h["hit_id"] for h in queue["hits"]}
    assert queue["counts"]["open"] == len(queue["hits"])

    response = api_client.post(f"/v1/hits/{hit['hit_id']}/decisions", headers=ANALYST,
                               json={"decision": "false_positive",
                                     "comment": "namesake, other birthplace"})
    assert response.status_code == 201, response.get_json()
    decision = response.get_json()
    assert decision["user"] == "analyst.kim" and decision["status"] == "effective"
    # The first job's results now show the decision.
    again = api_client.get(f"/v1/jobs/{job1}/results").get_json()["results"]
    assert top(again, "c-1")["review"]["state"] == "decided"

    job2, rerun = run_batch(api_client, [KOZLOV, *OTHERS])
    suppressed = top(rerun, "c-1")
    assert suppressed["hit_id"] != hit["hit_id"]
    assert suppressed["review"]["state"] == "suppressed"
    assert suppressed["review"]["decision"]["id"] == decision["id"]
    assert top(rerun, "c-3")["review"]["state"] == "open"  # other hits untouched
    counts = api_client.get(f"/v1/hits?job_id={job2}").get_json()["counts"]
    assert counts["suppressed"] >= 1

    _, moved = run_batch(api_client, [{**KOZLOV, "birth_date": "1961-02-03"}])
    assert top(moved, "c-1")["review"]["state"] == "open"

    # The instant check applies the same whitelist, and says where its audit entry is.
    body = api_client.post("/v1/screen", json=KOZLOV).get_json()
    assert body["result"]["matches"][0]["review"]["state"] == "suppressed"
    assert body["screening_id"] and body["screened_at"].endswith("Z")
    entries = api_client.get("/v1/audit?kind=screening&limit=1000").get_json()["entries"]
    mine = [e for e in entries if e["subject"] == body["screening_id"]]
    assert len(mine) == 1 and mine[0]["at"] == body["screened_at"]
    assert mine[0]["data"]["hits"][0]["state"] == "suppressed"
    # One audit entry per batch record (3 + 3 + 1), plus the instant check.
    assert len(entries) == 8
    decisions = api_client.get("/v1/audit?kind=decision").get_json()["entries"]
    assert [e["subject"] for e in decisions] == [decision["id"]]


README = Path(__file__).resolve().parents[2] / "README.md"


def readme_customers(birth_date: str | None = None) -> bytes:
    """The README's customers.csv, as its heredoc writes it; `birth_date` corrects c-1's."""
    text = README.read_text(encoding="utf-8")
    start = text.index("cat > customers.csv <<'CSV'\n") + len("cat > customers.csv <<'CSV'\n")
    body = text[start:text.index("\nCSV\n", start) + 1]
    if birth_date is not None:
        assert "c-1,Козлов Сергей Михайлович,Person,1960-05-31," in body
        body = body.replace("Person,1960-05-31,", f"Person,{birth_date},", 1)
    return body.encode("utf-8")


def upload(client: ApiClient, data: bytes, key: str) -> str:
    response = client.post("/v1/jobs", data=data, content_type="text/csv",
                           headers={"Idempotency-Key": key})
    assert response.status_code in (200, 202), response.get_json()
    job = str(response.get_json()["id"])
    assert client.wait_finished(job)["status"] == "completed"
    return job


def test_readme_worked_example_as_written(api_client: ApiClient) -> None:
    """README "Worked example: the bank clears a false positive", step by step, with the
    README's own customers.csv, headers and query strings."""
    job = upload(api_client, readme_customers(), "acme-2026-11-27")
    assert upload(api_client, readme_customers(), "acme-2026-11-27") == job  # a retried upload
    queue = api_client.get(f"/v1/hits?job_id={job}&state=open").get_json()
    assert queue["counts"]["open"] == len(queue["hits"]) >= 2  # c-1 (Kozlov), c-3 (Intellekt)
    hit = next(h for h in queue["hits"] if h["record"]["id"] == "c-1")
    assert (hit["list"], hit["source_id"], hit["score"]) == ("kr-mofa", "KR-MOFA-2024-004", 1.0)
    assert hit["record"]["birth_date"] == "1960-05-31"
    assert hit["profile"]["birth_dates"] == ["1960-05-31"] and hit["review"]["state"] == "open"
    profile = api_client.get("/v1/entities/kr-mofa/KR-MOFA-2024-004")
    assert profile.status_code == 200 and "Kozlov" in profile.get_json()["name"]

    decide = {"headers": {**ANALYST, "Idempotency-Key": "c1-review-1"},
              "json": {"decision": "false_positive",
                       "comment": "Namesake: passport and birthplace differ"}}
    response = api_client.post(f"/v1/hits/{hit['hit_id']}/decisions", **decide)
    assert response.status_code == 201, response.get_json()
    decision = response.get_json()
    assert (decision["decision"], decision["user"], decision["status"]) == (
        "false_positive", "analyst.kim", "effective")

    # The next night: the same file again (a new screening, so a new Idempotency-Key).
    job2 = upload(api_client, readme_customers(), "acme-2026-11-28")
    assert job2 != job
    results = api_client.get(f"/v1/jobs/{job2}/results?only_hits=true").get_json()["results"]
    review = top(results, "c-1")["review"]
    assert review["state"] == "suppressed"
    assert (review["decision"]["id"], review["decision"]["user"]) == (decision["id"],
                                                                    "analyst.kim")
    assert top(results, "c-3")["review"]["state"] == "open"  # the other pair is untouched

    # The customer's birth date is corrected: no longer the record that was cleared.
    job3 = upload(api_client, readme_customers(birth_date="1961-02-03"), "acme-2026-11-29")
    results = api_client.get(f"/v1/jobs/{job3}/results?only_hits=true").get_json()["results"]
    assert top(results, "c-1")["review"] == {"state": "open", "decision": None}


def test_decision_bad_input_is_a_4xx_naming_the_problem(api_client: ApiClient,
                                                         api_app: APIFlask) -> None:
    hit = api_client.post("/v1/screen", json=KOZLOV).get_json()["result"]["matches"][0]
    url = f"/v1/hits/{hit['hit_id']}/decisions"
    missing = api_client.post(url, json={"decision": "true_match"})
    assert missing.status_code == 400
    assert missing.get_json()["error"]["code"] == "invalid_request"
    assert missing.get_json()["error"]["details"]["field"] == "X-Screening-User"
    unknown = api_client.post(url, headers=ANALYST, json={"decision": "whitelisted"})
    assert unknown.status_code == 400
    assert unknown.get_json()["error"]["details"]["field"] == "decision"
    nowhere = api_client.post("/v1/hits/hit_nope/decisions", headers=ANALYST,
                              json={"decision": "true_match"})
    assert nowhere.status_code == 404
    other = new_tenant(api_app)
    theirs = other.post(url, headers=ANALYST, json={"decision": "true_match"})
    assert theirs.status_code == 404
    assert other.get(f"/v1/hits/{hit['hit_id']}").status_code == 404
    assert api_client.get(f"/v1/hits/{hit['hit_id']}").get_json()["review"]["state"] == "open"


def test_a_retried_decision_is_written_once(api_client: ApiClient) -> None:
    hit = api_client.post("/v1/screen", json=KOZLOV).get_json()["result"]["matches"][0]
    url = f"/v1/hits/{hit['hit_id']}/decisions"
    headers = {**ANALYST, "Idempotency-Key": "retry-1"}
    first = api_client.post(url, headers=headers, json={"decision": "escalated"})
    second = api_client.post(url, headers=headers, json={"decision": "escalated"})
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    listed = api_client.get(f"/v1/decisions?hit_id={hit['hit_id']}").get_json()
    assert len(listed["decisions"]) == 1
    clash = api_client.post(url, headers=headers, json={"decision": "true_match"})
    assert clash.status_code == 409


def test_four_eyes_needs_a_second_user(api_app: APIFlask,
                                       celery_worker: Any) -> None:
    bank = new_tenant(api_app, four_eyes=True)
    hit = bank.post("/v1/screen", json=KOZLOV).get_json()["result"]["matches"][0]
    made = bank.post(f"/v1/hits/{hit['hit_id']}/decisions", headers=ANALYST,
                     json={"decision": "false_positive", "comment": "namesake"}).get_json()
    assert made["status"] == "pending_confirmation"
    waiting = bank.post("/v1/screen", json=KOZLOV).get_json()["result"]["matches"][0]
    assert waiting["review"]["state"] == "pending_confirmation"
    same = bank.post(f"/v1/decisions/{made['id']}/confirm", headers=ANALYST)
    assert same.status_code == 403
    ok = bank.post(f"/v1/decisions/{made['id']}/confirm",
                   headers={"X-Screening-User": "analyst.park"})
    assert ok.status_code == 200 and ok.get_json()["confirmed_by"] == "analyst.park"
    later = bank.post("/v1/screen", json=KOZLOV).get_json()["result"]["matches"][0]
    assert later["review"]["state"] == "suppressed"
    kinds = [e["kind"] for e in bank.get("/v1/audit").get_json()["entries"]]
    assert kinds.count("decision") == 1 and kinds.count("confirmation") == 1


def test_entity_profile(api_client: ApiClient) -> None:
    hit = api_client.post("/v1/screen", json=KOZLOV).get_json()["result"]["matches"][0]
    profile = api_client.get(hit["entity_url"])
    assert profile.status_code == 200, profile.get_json()
    body = profile.get_json()
    assert body["source_id"] == hit["source_id"] and body["names"]
    assert body["list_version"]["name"] == hit["list"]
    assert any(n["script"] == "cyrillic" for n in body["names"])
    assert "Козлов Сергей Михайлович" in body["original_script_names"]
    assert body["birth_dates"] == ["1960-05-31"] and "birth_places" in body
    assert "ru" in body["countries"] and "nationalities" in body
    # The representative's company: resolved to its own entry, whose profile answers.
    (company,) = body["related"]
    assert company["name"] == "Intellekt LLC" and company["list"] == hit["list"]
    assert api_client.get(company["entity_url"]).get_json()["source_id"] == company["source_id"]
    assert api_client.get("/v1/entities/kr-mofa/NOPE").status_code == 404


def test_decisions_and_audit_export(api_client: ApiClient, service_database: str) -> None:
    hit = api_client.post("/v1/screen", json=KOZLOV).get_json()["result"]["matches"][0]
    api_client.post(f"/v1/hits/{hit['hit_id']}/decisions", headers=ANALYST,
                    json={"decision": "true_match", "comment": "same passport"})
    rows = list(csv.DictReader(io.StringIO(
        api_client.get("/v1/decisions?format=csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["decision"] for r in rows] == ["true_match"] and rows[0]["user"] == "analyst.kim"
    lines = api_client.get("/v1/audit?format=jsonl").get_data(as_text=True).splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["kind"] for e in entries] == ["screening", "decision"]
    assert entries[1]["prev_hash"] == entries[0]["hash"]
    audit_csv = api_client.get("/v1/audit?format=csv").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(audit_csv.lstrip("\ufeff"))))) == 2
    paged = api_client.get("/v1/audit?limit=1").get_json()
    assert len(paged["entries"]) == 1 and paged["next_cursor"]
    rest = api_client.get(f"/v1/audit?limit=1&cursor={paged['next_cursor']}").get_json()
    assert rest["entries"][0]["kind"] == "decision" and rest["next_cursor"] is None
    assert audit.verify(Database(service_database)).ok


def test_database_outage_is_503_and_no_answer_without_audit(
    api_app: APIFlask, redis_server: str, tmp_path: Any
) -> None:
    from api.app import create_app

    broken = create_app({
        "REDIS_URL": redis_server, "KEY_PREFIX": api_app.config["KEY_PREFIX"],
        "TESTING": True,
        # A directory that does not exist: every connection fails, like a downed server.
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/compliance.db",
    })
    broken.extensions["screening_warmup"].done.wait(60)
    import shutil

    shutil.rmtree(tmp_path / "missing", ignore_errors=True)  # created by the engine
    client = new_tenant(broken)
    screened = client.post("/v1/screen", json=KOZLOV)
    assert screened.status_code == 503
    assert screened.headers.get("Retry-After")
    assert screened.get_json()["error"]["code"] == "database_unavailable"
    assert "matches" not in json.dumps(screened.get_json())
    for response in (
        client.post("/v1/hits/hit_x/decisions", headers=ANALYST, json={"decision": "true_match"}),
        client.get("/v1/audit"),
        client.get("/v1/hits"),
    ):
        assert response.status_code == 503, response.get_json()
        assert response.headers.get("Retry-After")


@pytest.mark.parametrize("path", ["/v1/hits", "/v1/decisions", "/v1/audit",
                                  "/v1/hits/{hit_id}", "/v1/hits/{hit_id}/decisions",
                                  "/v1/decisions/{decision_id}/confirm",
                                  "/v1/entities/{list_name}/{source_id}"])
def test_openapi_documents_every_compliance_endpoint(api_app: APIFlask, path: str) -> None:
    spec = api_app.test_client().get("/openapi.json").get_json()
    assert path in spec["paths"], sorted(spec["paths"])
    for op in spec["paths"][path].values():
        assert op.get("summary") and op.get("description")
        ok = op["responses"].get("200") or op["responses"].get("201")
        content = ok["content"]["application/json"]
        assert content.get("example") or content.get("examples"), path


def test_purged_job_data_leaves_its_audit_entries(api_client: ApiClient) -> None:
    job, _ = run_batch(api_client, [KOZLOV, *OTHERS])
    assert api_client.delete(f"/v1/jobs/{job}").status_code == 204
    assert api_client.get(f"/v1/jobs/{job}").status_code == 404
    entries = api_client.get("/v1/audit?kind=screening").get_json()["entries"]
    assert sorted(e["subject"] for e in entries) == [f"{job}:{i}" for i in range(3)]
    context = entries[0]["data"]["context"]
    shared = api_client.get("/v1/audit?kind=screening_context").get_json()["entries"]
    assert [e["subject"] for e in shared] == [context]
    assert shared[0]["data"]["list_versions"][0].startswith("kr-mofa@")
    hits = api_client.get(f"/v1/hits?job_id={job}").get_json()["hits"]
    assert hits and all(h["job_id"] == job for h in hits)  # the hits stay reviewable


def _ready_app(api_app: APIFlask, url: str) -> Any:
    from api.app import create_app

    app = create_app({"REDIS_URL": api_app.config["REDIS_URL"], "TESTING": True,
                      "KEY_PREFIX": api_app.config["KEY_PREFIX"], "DATABASE_URL": url})
    app.extensions["screening_warmup"].done.wait(60)
    return app.test_client()


def _not_ready_because_of_the_database(client: Any, *words: str) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503, response.get_json()
    assert response.headers.get("Retry-After")
    error = response.get_json()["error"]
    assert error["code"] == "not_ready"
    assert error["details"]["checks"]["database"] == "unavailable"
    assert error["details"]["checks"]["redis"] == "ok"  # only the database is named
    (reason,) = error["details"]["reasons"]
    assert all(w in reason for w in words), reason
    # Liveness stays independent: the process is fine, it must not be restarted.
    assert client.get("/healthz").get_json() == {"status": "ok"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_readyz_reports_the_compliance_database(
    backend: str, api_app: APIFlask, celery_worker: Any, tmp_path: Any,
    request: pytest.FixtureRequest,
) -> None:
    from workers.compliance.db import upgrade

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'compliance.db'}"
        server = None
    else:
        from tests.postgres import PostgresServer

        # Its own server, to stop it under the running API (skips where there are no
        # PostgreSQL binaries, as every PostgreSQL test does).
        bindir = request.getfixturevalue("postgres_server").bindir
        server = PostgresServer(bindir)
        server.start()
        url = server.create_database("ready")
    try:
        unmigrated = _ready_app(api_app, url)
        _not_ready_because_of_the_database(unmigrated, "screening db upgrade")
        upgrade(url)
        client = _ready_app(api_app, url)
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.get_json()
        assert ready.get_json()["checks"]["database"] == "ok"
        if server is not None:
            server.stop()  # the database goes down under the running API
        else:
            # SQLite cannot "go down"; its file becomes unreachable (a lost volume).
            client = _ready_app(api_app, f"sqlite:///{tmp_path}/gone/compliance.db")
            import shutil

            shutil.rmtree(tmp_path / "gone", ignore_errors=True)  # created by the engine
        _not_ready_because_of_the_database(client, "does not answer", "SCREENING_DATABASE_URL")
    finally:
        if server is not None:
            server.stop()
