"""Issue 10 hardening, through the in-process API bound to a real Redis (and the real
worker where a job must run): no silent "no hit" (1), lone surrogates refused (3),
formula-safe CSV (4) in one row per record (19), roles enforced (5), an atomic job cap
(7), purge racing writes leaves nothing behind (10), server faults are 5xx (11) and
deep nesting is 400 (12)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest
import redis

from api.app import create_app
from api.errors import status_for
from tests.integration.conftest import ApiClient, new_tenant
from tests.integration.http import call
from tests.integration.stack import Stack
from workers import engines, pipeline
from workers.jobstore import ActiveJobLimit, JobStore
from workers.registry import RegistryError

KOZLOV = "Козлов Сергей Михайлович"


def _store(api_app: Any) -> JobStore:
    store: JobStore = api_app.extensions["screening"].jobs
    return store


def _job_with_results(client: ApiClient, results: list[dict[str, Any]]) -> str:
    """A finished job whose results are exactly `results`, saved as a worker saves them."""
    store = _store(client.app)
    records = [{"id": r["id"], "name": r["name"]} for r in results]
    job, _ = store.create_job(client.tenant, records, chunk_size=len(records), options={},
                              list_ref={})
    assert store.save_chunk_results(job.id, 0, results) == 2  # saved, job complete
    return job.id


def _download(client: ApiClient, job_id: str, query: str = "format=csv") -> list[list[str]]:
    response = client.get(f"/v1/jobs/{job_id}/results?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert int(response.headers["Content-Length"]) == len(response.data)
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


# -- 1: an engine failure is never "no hit" --------------------------------------------

def test_a_record_that_was_not_screened_says_so_everywhere(api_client: ApiClient) -> None:
    failed = {"id": "x", "name": "Broken", "status": "error", "matches": [],
              "error": pipeline.RECORD_ERROR}
    clean = {"id": "y", "name": "Nobody", "status": "ok", "matches": []}
    job_id = _job_with_results(api_client, [failed, clean])
    job = api_client.get(f"/v1/jobs/{job_id}").get_json()
    assert job["status"] == "completed" and job["errors"] == 1 and job["hits"] == 0
    page = api_client.get(f"/v1/jobs/{job_id}/results").get_json()["results"]
    assert page[0]["status"] == "error" and page[0]["error"] == pipeline.RECORD_ERROR
    assert page[1]["status"] == "ok" and "error" not in page[1]
    rows = _download(api_client, job_id)
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["status"] == "error" and first["hit"] == "" and first["error"]
    assert dict(zip(header, rows[2], strict=True))["hit"] == "false"
    lines = api_client.get(f"/v1/jobs/{job_id}/results?format=jsonl").data.decode().splitlines()
    assert '"status": "error"' in lines[0]


class _BrokenEngine:
    def screen(self, *a: Any, **k: Any) -> Any:
        raise RuntimeError("engine bug")

    def screen_many(self, *a: Any, **k: Any) -> Any:
        raise RuntimeError("engine bug")


def test_instant_check_on_an_engine_failure_is_5xx_not_a_clean_miss(
    api_client: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engines, "current", lambda: (engines.current_list_ref(), _BrokenEngine()))
    response = api_client.post("/v1/screen", json={"name": "Anna Example"})
    assert response.status_code == 500
    body = response.get_json()
    assert body["error"]["code"] == "screening_failed" and "hit" not in body
    assert "NOT checked" in body["error"]["message"]


# -- 3: lone surrogates ----------------------------------------------------------------

@pytest.mark.parametrize(("path", "raw", "field"), [
    ("/v1/jobs", '{"records": [{"id": "a", "name": "Ok"}, {"name": "Bad \\ud800 name"}]}',
     "records[1].name"),
    ("/v1/screen", '{"name": "x\\udfff"}', "name"),
    ("/v1/jobs", '{"records": [{"id": "\\ud800", "name": "Anna"}]}', "records[0].id"),
])
def test_a_lone_surrogate_is_400_naming_the_field(
    api_client: ApiClient, path: str, raw: str, field: str
) -> None:
    response = api_client.post(path, data=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"]["details"]["field"] == field


# -- 4 and 19: the CSV export ------------------------------------------------------------

def test_csv_neutralises_formulas_and_gives_one_row_per_record(api_client: ApiClient) -> None:
    match = {"list": "=evil", "source_id": "+1", "schema": "Person", "name": "@SUM(A1)",
             "matched_name": "-2+3", "score": 0.91, "explanation": {"why": "x"}}
    second = {**match, "name": "Second", "source_id": "2", "score": 0.85}
    results = [
        {"id": "=HYPERLINK(\"http://x\")", "name": "\tTab", "status": "ok",
         "matches": [match, second]},
        {"id": "\rcr", "name": "Plain", "status": "ok", "matches": []},
    ]
    job_id = _job_with_results(api_client, results)
    rows = _download(api_client, job_id)
    header, first, other = rows[0], dict(zip(rows[0], rows[1], strict=True)), rows[2]
    assert len(rows) == 3, "one row per record"
    assert header[:5] == ["id", "name", "status", "hit", "match_count"]
    assert first["id"] == "'=HYPERLINK(\"http://x\")" and first["name"] == "'\tTab"
    assert first["match_count"] == "2" and first["top_list"] == "'=evil"
    assert first["top_name"] == "'@SUM(A1)" and first["top_source_id"] == "'+1"
    assert first["top_matched_name"] == "'-2+3" and first["top_score"] == "0.91"
    assert other[0] == "'\rcr" and other[3] == "false"
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    per_match = _download(api_client, job_id, "format=csv&layout=matches")
    assert len(per_match) == 4 and per_match[0][4] == "rank"
    assert [r[4] for r in per_match[1:]] == ["1", "2", ""]


# -- 5: roles ------------------------------------------------------------------------------

def test_an_employer_may_screen_and_run_small_jobs_but_not_batches(
    api_app: Any, celery_worker: Any
) -> None:
    from api import settings

    employer = new_tenant(api_app, role="employer")
    assert employer.post("/v1/screen", json={"name": KOZLOV}).status_code == 200
    small = [{"id": "1", "name": KOZLOV}]
    assert employer.post("/v1/jobs", json={"records": small}).status_code == 202
    big = [{"id": str(i), "name": f"Person {i}"} for i in range(settings.EMPLOYER_MAX_RECORDS + 1)]
    response = employer.post("/v1/jobs", json={"records": big})
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "forbidden" and "'employer'" in error["message"]
    assert str(settings.EMPLOYER_MAX_RECORDS) in error["message"]
    bank = new_tenant(api_app, role="bank")
    assert bank.post("/v1/jobs", json={"records": big}).status_code == 202


# -- 7: the job cap is atomic --------------------------------------------------------------

def test_parallel_job_creation_never_exceeds_the_cap(api_app: Any) -> None:
    store = _store(api_app)
    outcomes: list[str] = []
    barrier = threading.Barrier(12)

    def create() -> None:
        barrier.wait()
        try:
            store.create_job("cap-tenant-" + store.prefix, [{"name": "A"}], chunk_size=5,
                             options={}, list_ref={}, max_active=5)
            outcomes.append("created")
        except ActiveJobLimit:
            outcomes.append("refused")

    threads = [threading.Thread(target=create) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("created") == 5 and outcomes.count("refused") == 7
    assert store.count_active("cap-tenant-" + store.prefix) == 5


def test_parallel_posts_over_http_never_exceed_the_cap(stack: Stack) -> None:
    """24 POSTs at once through the real API (its processes and threads), no worker to
    finish any job: exactly the cap is accepted, every other answer is 429 naming the
    limit and what to do, and no job beyond the cap exists."""
    cap, posts = 3, 24
    made = subprocess.run(
        [sys.executable, "-m", "api.cli", "tenants", "create", "cap-bank", "--role", "bank",
         "--max-concurrent-jobs", str(cap)],
        env=stack.env, capture_output=True, text=True, check=True, timeout=120)
    key = made.stdout.strip().split()[-1]
    # Enough records that parsing keeps each request busy between its checks.
    body = json.dumps({"records": [{"id": str(i), "name": f"Person Number{i} Testcase"}
                                   for i in range(300)]}).encode()
    answers: list[tuple[int, dict[str, str], Any]] = []
    barrier = threading.Barrier(posts)

    def post() -> None:
        req = urllib.request.Request(f"{stack.base}/v1/jobs", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {key}",
                                              "Content-Type": "application/json"})
        barrier.wait()
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                answers.append((resp.status, dict(resp.headers), json.loads(resp.read())))
        except urllib.error.HTTPError as err:
            answers.append((err.code, dict(err.headers), json.loads(err.read())))

    threads = [threading.Thread(target=post) for _ in range(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [202] * cap + [429] * (posts - cap), statuses
    for status, headers, answer in answers:
        if status != 429:
            continue
        error = answer["error"]
        assert error["code"] == "job_limit_reached"
        assert error["details"] == {"active_jobs": cap, "max_concurrent_jobs": cap}
        assert f"the most allowed at once is {cap}" in error["message"]
        assert "wait for one to finish" in error["message"] and "cancel one" in error["message"]
        assert int(headers["Retry-After"]) > 0
    status, page = call("GET", f"{stack.base}/v1/jobs?limit=100", key)
    assert status == 200
    assert len(page["jobs"]) == cap, [j["id"] for j in page["jobs"]]
    assert {j["status"] for j in page["jobs"]} == {"queued"}


# -- 10: writes racing a purge leave nothing behind -----------------------------------------

def test_writes_after_a_purge_leave_no_orphan_hash(api_client: ApiClient) -> None:
    store = _store(api_client.app)
    job, _ = store.create_job(api_client.tenant, [{"name": "A"}] * 10, chunk_size=2,
                              options={}, list_ref={})
    store.purge(job.id)
    assert store.claim_next_chunks(job.id, 3) == []
    store.touch(job.id)
    store.fail(job.id, "late")
    assert not store.cancel(job.id)
    assert store.save_chunk_results(job.id, 0, [{"id": None, "name": "A", "matches": []}]) == -1
    assert not store.r.keys(f"{store.prefix}job:{job.id}*")


def test_a_partial_job_hash_reads_as_gone_not_500(api_client: ApiClient) -> None:
    store = _store(api_client.app)
    store.r.hset(f"{store.prefix}job:orphan1", "next_chunk", 5)
    assert store.get_job("orphan1") is None
    assert api_client.get("/v1/jobs/orphan1").status_code == 404
    store.r.delete(f"{store.prefix}job:orphan1")


def test_failing_a_job_gives_it_a_ttl(api_client: ApiClient) -> None:
    store = _store(api_client.app)
    job, _ = store.create_job(api_client.tenant, [{"name": "A"}], chunk_size=2, options={},
                              list_ref={})
    store.fail(job.id, "lists gone")
    assert store.r.ttl(f"{store.prefix}job:{job.id}") > 0
    assert store.get_job(job.id).status == "failed"  # type: ignore[union-attr]


# -- 11 and 12 -------------------------------------------------------------------------------

def test_server_faults_are_5xx_and_only_input_problems_4xx(
    api_client: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert status_for(RegistryError("manifest corrupt")) == 503

    def broken() -> Any:
        raise RegistryError("/srv/data/lists/manifest.json is unreadable")

    monkeypatch.setattr(engines, "current_list_ref", broken)
    response = api_client.get("/v1/lists")
    assert response.status_code == 503
    body = response.get_json()
    assert "/srv/data" not in body["error"]["message"], "server paths stay in the log"
    assert response.headers["Retry-After"]
    assert api_client.post("/v1/screen", json={"name": "A B"}).status_code == 503


@pytest.mark.parametrize("path", ["/v1/jobs", "/v1/screen"])
def test_deep_json_nesting_is_400(api_client: ApiClient, path: str) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    response = api_client.post(path, data=deep, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["field"] == "body"


def test_redis_down_is_503_with_retry_after() -> None:
    app = create_app({"REDIS_CLIENT": redis.Redis(port=1)})
    response = app.test_client().post("/v1/screen", json={"name": "Anna"},
                                      headers={"Authorization": "Bearer sk_x"})
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.get_json()["error"]["code"] == "service_unavailable"


# -- 8: /metrics needs the operator's token and scans no job keys ----------------------------

def test_metrics_need_the_token_and_never_scan_job_keys(api_client: ApiClient) -> None:
    store = _store(api_client.app)
    job_id = _job_with_results(api_client, [{"id": "a", "name": "A", "status": "ok",
                                             "matches": []}])
    assert api_client.get("/metrics").status_code == 404
    api_client.app.config["METRICS_TOKEN"] = "t0ken"
    try:
        assert api_client.get("/metrics").status_code == 401  # a tenant key is not enough

        def scans() -> int:
            stats = store.r.info("commandstats")
            return int(stats.get("cmdstat_scan", {}).get("calls", 0))

        before = scans()
        response = api_client.client.get("/metrics", headers={"Authorization": "Bearer t0ken"})
        assert response.status_code == 200
        assert scans() == before, "a scrape must not SCAN the keyspace"
    finally:
        api_client.app.config["METRICS_TOKEN"] = ""
    text = response.get_data(as_text=True)
    completed = next(line for line in text.splitlines()
                     if line.startswith('screening_jobs{state="completed"}'))
    assert float(completed.split()[-1]) >= 1
    assert job_id


# -- 17: `screening lists show` shows the running service's lists ---------------------------

def test_lists_show_reports_what_the_running_service_uses(
    celery_worker: Any, worker_env: dict[str, str]
) -> None:
    import json
    import subprocess
    import sys
    import time
    from pathlib import Path

    other = Path(__file__).resolve().parents[1] / "fixtures" / "registry" / "un"
    env = {**worker_env, "SCREENING_LISTS": f"-kr-mofa,{other}"}  # not what the service uses
    time.sleep(4)  # a heartbeat after start publishes the lists
    done = subprocess.run([sys.executable, "-m", "api.cli", "lists", "show", "--json"], env=env,
                          capture_output=True, text=True, check=True, timeout=120)
    names = [row["name"] for row in json.loads(done.stdout)]
    assert names == ["kr-mofa"], done.stderr
    assert "running service" in done.stderr
