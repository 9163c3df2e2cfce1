"""Ongoing monitoring end to end, through real processes: Redis (AOF), `screening api`,
`screening worker`, `screening lists update` (CLI) against a list server, and a webhook
receiver, all on 127.0.0.1.

- A list update that designates Kozlov alerts exactly the monitored records that a job
  screening them on the new version finds on him, once each.
- Delisting him closes those alerts with the reason "delisted".
- A receiver that fails three times then succeeds gets each event accepted exactly once,
  with a signature the `standardwebhooks` reference package verifies; every attempt is
  logged on the delivery, and a replay sends it again.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from api.embedded_redis import EmbeddedRedis, free_port
from api.processes import stop
from tests.integration.http import answers, call
from tests.integration.procs import job_pinning, service_env, start_worker, wait_until

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "monitoring"
OFAC_FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
KOZLOV = ("us_ofac_sdn", "37621")
RECORDS = [
    {"id": "c-ru", "name": "Козлов Сергей Михайлович", "schema": "Person",
     "birth_date": "1960-05-31", "country": "RU"},
    {"id": "c-lat", "name": "Sergei Kozlov", "schema": "Person"},
    {"id": "c-hangul", "name": "세르게이 미하일로비치 코즐로프"},
    {"id": "c-hangul-short", "name": "코즐로프 세르게이"},
    {"id": "c-namesake", "name": "Kozlov Ivan Petrovich", "birth_date": "1991"},
    {"id": "c-schmidt", "name": "Maria Schmidt", "country": "DE"},
    {"id": "c-bank", "name": "Banco Nacional de Cuba", "schema": "Company"},
]


def _serve(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture
def list_server() -> Iterator[str]:
    """Serves tests/fixtures/monitoring/ofac_<version>/ as OFAC download folders."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")
            ok = len(parts) == 2 and parts[0] in ("base", "kozlov") and parts[1] in OFAC_FILES
            body = (FIXTURES / f"ofac_{parts[0]}" / parts[-1]).read_bytes() if ok else b"no"
            self.send_response(200 if ok else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd, url = _serve(Handler)
    yield url
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Receiver:
    """Answers 500 to the first `failures` attempts of each message, then 200."""

    url: str = ""
    failures: int = 3
    calls: list[dict[str, Any]] = field(default_factory=list)
    attempts: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted(self) -> list[dict[str, Any]]:
        with self.lock:
            return [c for c in self.calls if c["status"] == 200]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            headers = {k.lower(): v for k, v in self.headers.items()}
            with rec.lock:
                rec.attempts[headers.get("webhook-id", "")] += 1
                status = 200 if rec.attempts[headers.get("webhook-id", "")] > rec.failures else 500
                rec.calls.append({"headers": headers, "body": body, "status": status})
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd, url = _serve(Handler)
    rec.url = url + "/hook"
    yield rec
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Service:
    env: dict[str, str]
    base: str
    key: str
    lists_url: str

    def update(self, version: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "api.cli", "lists", "update", "--min-ratio", "0",
             "--url", f"us_ofac_sdn={self.lists_url}/{version}/"],
            env=self.env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    def call(self, method: str, path: str, body: Any = None) -> Any:
        status, answer = call(method, f"{self.base}{path}", self.key, body)
        assert status < 300, (method, path, status, answer)
        return answer

    def alerts(self, state: str = "all") -> list[dict[str, Any]]:
        return list(self.call("GET", f"/v1/alerts?state={state}&limit=1000")["alerts"])


@pytest.fixture
def service(tmp_path: Path, list_server: str) -> Iterator[Service]:
    redis_server = EmbeddedRedis(tmp_path / "redis", appendonly=True)
    redis_server.start()
    env = service_env(
        redis_server.url, tmp_path / "data",
        SCREENING_RATE_LIMIT="100000",
        SCREENING_WEBHOOKS_ALLOW_PRIVATE="1",  # the receiver is on 127.0.0.1
        SCREENING_WEBHOOK_RETRY_BASE_SECONDS="0.2",  # retries after 0.2, 0.8, 3.2 s
        SCREENING_MONITOR_POLL_SECONDS="0.5",
        SCREENING_STALL_SECONDS="5",
    )
    key = subprocess.run(
        [sys.executable, "-m", "api.cli", "tenants", "create", "watch-bank", "--role", "bank"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip().split()[-1]  # fmt: skip
    port = free_port()
    svc = Service(env, f"http://127.0.0.1:{port}", key, list_server)
    svc.update("base")  # the first version seen is the baseline: no delta, no alerts
    api = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "api", "--port", str(port)], env=env,
        stdout=(tmp_path / "api.log").open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        wait_until(lambda: answers(f"{svc.base}/healthz"), 60, "the API to answer")
        yield svc
    finally:
        stop(worker)
        stop(api)
        redis_server.stop()


def _job_hits_on(svc: Service, entity: tuple[str, str], version: str) -> set[str]:
    """Record ids a batch job (the full rescreen) finds on `entity`, on list `version`."""
    wait_until(
        lambda: any(v["name"] == entity[0] and v["version"] == version
                    for v in svc.call("GET", "/v1/lists")["lists"]),
        60, "the API to pick up the new list version")  # fmt: skip
    def run_job() -> dict[str, Any]:
        url = f"/v1/jobs/{svc.call('POST', '/v1/jobs', {'records': RECORDS})['id']}"
        return wait_until(lambda: (b := svc.call("GET", url))["status"] == "completed" and b,
                          120, "the comparison job")  # fmt: skip

    job = job_pinning(run_job, entity[0], version)
    results = svc.call("GET", f"/v1/jobs/{job['id']}/results?limit=100")["results"]
    # One party on several lists is one match: the entity may be among its `sources`.
    return {r["id"] for r in results for m in r["matches"]
            if entity in {(m["list"], m["source_id"]),
                          *((s["list"], s["source_id"]) for s in m.get("sources", []))}}


def _on(alerts: list[dict[str, Any]], entity: tuple[str, str]) -> list[dict[str, Any]]:
    return [a for a in alerts if (a["list"], a["source_id"]) == entity]


def test_list_update_alerts_monitored_records_and_delisting_closes_them(
    service: Service, receiver: Receiver, tmp_path: Path
) -> None:
    hook = service.call("POST", "/v1/webhooks", {
        "url": receiver.url, "events": ["alert.created", "alert.closed", "list.updated"]})
    secret = hook["secret"]
    assert secret.startswith("whsec_")

    for record in RECORDS:
        answer = service.call("PUT", f"/v1/monitored/{record['id']}", record)
        assert answer["id"] == record["id"]
    wait_until(lambda: all(service.call("GET", f"/v1/monitored/{r['id']}")["status"]
                           == "screened" for r in RECORDS), 120, "records to be screened")
    screened_on = service.call("GET", "/v1/monitored/c-ru")["screened_lists"]
    assert set(screened_on) >= {"us_ofac_sdn", "kr-mofa"}  # the versions it was screened on
    before = service.alerts()
    assert not _on(before, KOZLOV)  # not designated on OFAC yet
    assert {a["record"]["id"] for a in before if a["list"] == "kr-mofa"} >= {"c-ru"}

    out = service.update("kozlov")
    # (The CLI queues the delta run, unless a worker's sweep saw the new version first.)
    # The version just installed (`lists show` reports what a worker last heartbeated,
    # which may still be the previous one).
    ofac_version = re.search(r"us_ofac_sdn: \S+ \(.*?\) -> (\S+) ", out)
    assert ofac_version, out
    expected = _job_hits_on(service, KOZLOV, ofac_version[1])
    assert {"c-ru", "c-lat", "c-hangul", "c-hangul-short"} <= expected
    assert "c-schmidt" not in expected

    def kozlov_alerts() -> list[dict[str, Any]]:
        return _on(service.alerts("open"), KOZLOV)

    def alerted() -> set[str]:
        return {a["record"]["id"] for a in kozlov_alerts()}

    # Exactly the records a batch job on the new version finds on Kozlov (as one of the
    # sources of its one-per-party match), though c-ru already had an open alert on his
    # kr-mofa entry: a new designation of a known party is a new alert of its own.
    wait_until(lambda: alerted() == expected, 120, f"alerts on Kozlov for {sorted(expected)}")
    alerts = kozlov_alerts()
    assert len(alerts) == len(alerted())  # one per record, no duplicate
    first = alerts[0]
    assert first["source"] == "monitoring" and first["review"]["state"] == "open"
    assert first["trigger"]["kind"] == "list_update"
    assert first["entity_url"] == "/v1/entities/us_ofac_sdn/37621"
    # c-ru's open kr-mofa alert on the same party did not absorb the new designation: the
    # OFAC entry has its own alert, which names the party's other list entry.
    ru = next(a for a in alerts if a["record"]["id"] == "c-ru")
    assert ru["sources"][0] == {"list": KOZLOV[0], "source_id": KOZLOV[1]}
    assert any(s["list"] == "kr-mofa" for s in ru["sources"][1:])
    assert any(a["list"] == "kr-mofa" and a["record"]["id"] == "c-ru"
               for a in service.alerts("open"))
    assert service.call("GET", f"/v1/alerts/{first['alert_id']}")["alert_id"] == first["alert_id"]
    # Each alert is a hit of the compliance record: the analyst decides it like any hit,
    # and the alert shows the decision.
    lat = next(a for a in alerts if a["record"]["id"] == "c-lat")
    assert service.call("GET", f"/v1/hits/{lat['hit_id']}")["source"] == "monitoring"
    status, decided = call(
        "POST", f"{service.base}/v1/hits/{lat['hit_id']}/decisions", service.key,
        {"decision": "false_positive", "comment": "another Sergei"},
        headers={"X-Screening-User": "analyst-1"})  # fmt: skip
    assert status == 201, decided
    review = service.call("GET", f"/v1/alerts/{lat['alert_id']}")["review"]
    assert review["state"] == "decided" and review["decision"]["id"] == decided["id"]
    # The update alerted on nothing else: the other entities did not change. (Banco
    # Nacional de Cuba was alerted when its record was added, on the baseline version.)
    by_update = [a for a in service.alerts() if a["trigger"]["kind"] == "list_update"]
    assert {(a["list"], a["source_id"]) for a in by_update} == {KOZLOV}
    bank = [a for a in service.alerts() if a["record"]["id"] == "c-bank"]
    assert [(a["list"], a["source_id"], a["trigger"]["kind"]) for a in bank] == [
        ("us_ofac_sdn", "306", "record_screened")]

    # Webhooks: each alert.created accepted exactly once, after three failures.
    def created_accepted() -> list[dict[str, Any]]:
        return [c for c in receiver.accepted()
                if json.loads(c["body"])["type"] == "alert.created"
                and json.loads(c["body"])["data"]["source_id"] == KOZLOV[1]]

    wait_until(lambda: len(created_accepted()) >= len(alerts), 60,
               "every alert.created to be accepted")
    def list_updates() -> list[dict[str, Any]]:
        return [b for c in receiver.accepted()
                if (b := json.loads(c["body"]))["type"] == "list.updated"]

    wait_until(list_updates, 60, "list.updated to be accepted")
    (updated,) = list_updates()  # one event for the one new version, whoever detected it
    assert updated["data"]["counts"] == {"added": 1, "changed": 0, "removed": 0}
    assert updated["data"]["run_id"] and updated["data"]["list"] == "us_ofac_sdn"
    accepted = created_accepted()
    assert sorted(json.loads(c["body"])["data"]["alert_id"] for c in accepted) == sorted(
        a["alert_id"] for a in alerts)
    verifier = Webhook(secret)
    for call_ in accepted:
        verifier.verify(call_["body"], call_["headers"])  # raises on a bad signature
        msg = call_["headers"]["webhook-id"]
        assert receiver.attempts[msg] == 4  # 3 failures, then the one accepted delivery
        body = json.loads(call_["body"])
        # ids and links only, never a screened name
        assert "Козлов" not in call_["body"] and "Kozlov" not in call_["body"]
        assert body["data"]["links"]["self"] == f"/v1/alerts/{body['data']['alert_id']}"
    deliveries = service.call("GET", f"/v1/webhooks/{hook['id']}/deliveries")["deliveries"]
    delivered = [d for d in deliveries if d["event_id"] == accepted[0]["headers"]["webhook-id"]]
    assert len(delivered) == 1 and delivered[0]["status"] == "delivered"
    assert [a["status_code"] for a in delivered[0]["attempts"]] == [500, 500, 500, 200]

    # A replay sends the same event again (same webhook-id), once accepted.
    replay = service.call(
        "POST", f"/v1/webhooks/{hook['id']}/deliveries/{delivered[0]['id']}/replay")
    assert replay["status"] == "pending" and replay["replay_of"] == delivered[0]["id"]
    wait_until(lambda: service.call(
        "GET", f"/v1/webhooks/{hook['id']}/deliveries/{replay['id']}")["status"] == "delivered",
        30, "the replay to be delivered")  # fmt: skip

    # Delisting closes them.
    service.update("base")
    wait_until(lambda: not kozlov_alerts(), 120, "Kozlov alerts to close")
    closed = _on(service.alerts("closed"), KOZLOV)
    assert {a["record"]["id"] for a in closed} == expected
    assert {a["closed_reason"] for a in closed} == {"delisted"}
    wait_until(lambda: len([c for c in receiver.accepted()
                            if json.loads(c["body"])["type"] == "alert.closed"]) == len(expected),
               60, "alert.closed deliveries")  # fmt: skip
    assert all(c["headers"]["webhook-signature"].startswith("v1,") for c in receiver.calls)
    # The records' kr-mofa alerts stay open: only the delisted entity's alerts closed.
    assert {a["record"]["id"] for a in service.alerts("open") if a["list"] == "kr-mofa"} \
        >= {"c-ru"}
    per_event = defaultdict(int)
    for c in receiver.accepted():
        per_event[c["headers"]["webhook-id"]] += 1
    assert max(per_event.values()) <= 2  # once each; twice only for the replayed one
    assert sum(1 for n in per_event.values() if n == 2) == 1
    # Every chunk ran through once: no task failed and was redelivered to get here.
    log = (tmp_path / "worker.log").read_text()
    assert "raised unexpected" not in log and '"level": "ERROR"' not in log


def test_job_events_reach_webhooks(service: Service, receiver: Receiver) -> None:
    receiver.failures = 0
    hook = service.call("POST", "/v1/webhooks", {
        "url": receiver.url, "events": ["job.completed", "job.failed"]})
    job = service.call("POST", "/v1/jobs", {"records": RECORDS[:2]})

    def delivered() -> list[dict[str, Any]]:
        return [json.loads(c["body"]) for c in receiver.accepted()]

    wait_until(lambda: delivered(), 120, "job.completed to be delivered")
    (event,) = delivered()
    assert event["type"] == "job.completed"
    assert event["data"]["job_id"] == job["id"] and event["data"]["hits"] >= 1
    assert event["data"]["links"]["results"] == f"/v1/jobs/{job['id']}/results"
    Webhook(hook["secret"]).verify(receiver.accepted()[0]["body"],
                                   receiver.accepted()[0]["headers"])
    rotated = service.call("POST", f"/v1/webhooks/{hook['id']}/rotate")
    assert rotated["secret"] != hook["secret"] and rotated["previous_secrets_valid_until"]
    service.call("DELETE", f"/v1/webhooks/{hook['id']}")
    assert call("GET", f"{service.base}/v1/webhooks/{hook['id']}", service.key)[0] == 404


def test_monitored_book_api(api_client: Any) -> None:
    """In-process API (development setting off): bulk upsert, listing, export, errors."""
    csv_body = "id,name,country\nb-1,Maria Schmidt,DE\nb-2,Lee Byeong-cheol,\n"
    answer = api_client.post("/v1/monitored", data=csv_body, content_type="text/csv")
    assert answer.status_code == 202, answer.get_json()
    assert answer.get_json()["changed"] == 2
    again = api_client.post("/v1/monitored", data=csv_body, content_type="text/csv")
    assert again.get_json()["changed"] == 0 and again.get_json()["run_id"] is None
    page = api_client.get("/v1/monitored?limit=10").get_json()
    assert {r["id"] for r in page["records"]} == {"b-1", "b-2"} and page["total"] == 2
    export = api_client.get("/v1/monitored?format=jsonl")
    assert [json.loads(x)["id"] for x in export.get_data(as_text=True).splitlines()] in (
        ["b-1", "b-2"], ["b-2", "b-1"])
    no_id = api_client.post("/v1/monitored", json={"records": [{"name": "X Y"}]})
    assert no_id.status_code == 400 and no_id.get_json()["error"]["details"]["field"] == "id"
    mismatch = api_client.client.put(
        "/v1/monitored/b-3", json={"id": "other", "name": "X"},
        headers={"Authorization": f"Bearer {api_client.key}"})
    assert mismatch.status_code == 400
    assert api_client.get("/v1/monitored/nope").status_code == 404
    assert api_client.get("/v1/alerts/nope").status_code == 404
    assert api_client.delete("/v1/monitored/b-1").status_code == 204
    assert api_client.get("/v1/monitored/b-1").status_code == 404
    for url in ("http://127.0.0.1:9/hook", "https://127.0.0.1/hook", "https://10.0.0.8/x"):
        refused = api_client.post("/v1/webhooks", json={"url": url, "events": ["job.failed"]})
        assert refused.status_code == 400, url
        assert refused.get_json()["error"]["details"]["field"] == "url"
    bad_event = api_client.post("/v1/webhooks", json={"url": "https://93.184.216.34/h",
                                                      "events": ["job.started"]})
    assert bad_event.status_code == 400


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(
    tmp_path: Path, receiver: Receiver
) -> None:
    redis_server = EmbeddedRedis(tmp_path / "redis", appendonly=True)
    redis_server.start()
    env = service_env(
        redis_server.url, tmp_path / "data", SCREENING_RATE_LIMIT="100000",
        SCREENING_WEBHOOKS_ALLOW_PRIVATE="1", SCREENING_CHUNK_SIZE="5",
        SCREENING_JOB_PARALLELISM="2", SCREENING_STALL_SECONDS="3",
        SCREENING_VISIBILITY_TIMEOUT="4", SCREENING_MONITOR_POLL_SECONDS="0.5",
    )
    key = subprocess.run(
        [sys.executable, "-m", "api.cli", "tenants", "create", "kill-bank", "--role", "bank"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip().split()[-1]  # fmt: skip
    port = free_port()
    svc = Service(env, f"http://127.0.0.1:{port}", key, "")
    api = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "api", "--port", str(port)], env=env,
        stdout=(tmp_path / "api.log").open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    receiver.failures = 0
    workers: list[subprocess.Popen[bytes]] = []
    try:
        wait_until(lambda: answers(f"{svc.base}/healthz"), 60, "the API to answer")
        svc.call("POST", "/v1/webhooks", {"url": receiver.url, "events": ["alert.created"]})
        kozlovs = {f"k{i}" for i in range(0, 600, 15)}
        records = [{"id": f"k{i}" if f"k{i}" in kozlovs else f"r{i}",
                    "name": "Козлов Сергей Михайлович" if f"k{i}" in kozlovs
                    else f"Person Number{i} Test"} for i in range(600)]
        run_id = svc.call("POST", "/v1/monitored", {"records": records})["run_id"]
        workers.append(start_worker(env, tmp_path / "worker1.log"))
        wait_until(lambda: svc.call("GET", f"/v1/monitored-runs/{run_id}")["done"] >= 100,
                   120, "the run to get going")  # fmt: skip
        workers[0].kill()  # SIGKILL mid-run: its chunk in flight is unacknowledged
        workers[0].wait()
        assert svc.call("GET", f"/v1/monitored-runs/{run_id}")["status"] != "completed"
        workers.append(start_worker(env, tmp_path / "worker2.log"))
        wait_until(lambda: svc.call("GET", f"/v1/monitored-runs/{run_id}")["status"]
                   == "completed", 180, "the run to complete after the kill")  # fmt: skip
        run = svc.call("GET", f"/v1/monitored-runs/{run_id}")
        assert run["done"] == run["total"] == 600  # counted once each
        alerts = svc.alerts("open")
        assert sorted(a["record"]["id"] for a in alerts) == sorted(kozlovs)  # one each
        wait_until(lambda: len(receiver.accepted()) >= len(kozlovs), 60, "alert webhooks")
        ids = [json.loads(c["body"])["data"]["alert_id"] for c in receiver.accepted()]
        assert sorted(ids) == sorted(a["alert_id"] for a in alerts)  # one event per alert
        seen: list[dict[str, Any]] = []
        cursor = ""
        while True:  # every page of the book
            page = svc.call("GET", f"/v1/monitored?limit=100&cursor={cursor}")
            seen += page["records"]
            if not page["next_cursor"]:
                break
            cursor = page["next_cursor"]
        assert page["total"] == 600 and len({r["id"] for r in seen}) == 600
        assert {r["status"] for r in seen} == {"screened"}
    finally:
        for w in workers:
            stop(w)
        stop(api)
        redis_server.stop()
