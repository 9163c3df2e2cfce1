"""Prometheus metrics. In-process instruments (instant-check latency, submissions) live
on a per-app registry; job figures (jobs by state, records screened, records/s, queue
depth, chunk latency) are read from Redis at scrape time, so every API replica reports
the same numbers without the workers exporting anything."""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from workers import settings as wsettings
from workers.jobstore import STATUSES, Job, JobStore

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
CHUNK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
SCAN_LIMIT = 10_000  # jobs inspected per scrape; bounded so a scrape stays cheap


class JobCollector(Collector):
    """Job figures computed from the job store on every scrape."""

    def __init__(self, store: JobStore) -> None:
        self.store = store

    def _jobs(self) -> list[Job]:
        r, prefix = self.store.r, self.store.prefix
        ids: list[str] = []
        for key in r.scan_iter(match=f"{prefix}job:*", count=1000):
            text = key.decode() if isinstance(key, bytes) else key
            rest = text[len(prefix) + 4 :]
            if ":" not in rest:
                ids.append(rest)
            if len(ids) >= SCAN_LIMIT:
                break
        jobs = (self.store.get_job(i) for i in ids)
        return [j for j in jobs if j is not None]

    def collect(self) -> Iterator[Metric]:
        jobs = self._jobs()
        now = time.time()
        by_state = GaugeMetricFamily("screening_jobs", "Jobs stored, by state.", labels=["state"])
        for state in STATUSES:
            by_state.add_metric([state], sum(1 for j in jobs if j.status == state))
        yield by_state
        yield GaugeMetricFamily(
            "screening_job_records_screened",
            "Records screened by the jobs still stored (drops when jobs expire or are purged).",
            value=sum(j.done for j in jobs),
        )
        rate = sum(
            j.done / max(now - j.started_at, 1e-3)
            for j in jobs
            if j.status == "running" and j.started_at
        )
        yield GaugeMetricFamily(
            "screening_records_per_second", "Records/s across running jobs.", value=rate
        )
        depth = self.store.r.llen(wsettings.CHUNK_QUEUE)
        yield GaugeMetricFamily(
            "screening_queue_depth", "Chunks waiting in the broker queue.", value=int(depth)
        )
        yield self._chunk_histogram(jobs)

    def _chunk_histogram(self, jobs: list[Job]) -> HistogramMetricFamily:
        # Derived from job timestamps: a finished job's wall time spread over its chunks,
        # times the chunks it had in flight. One observation per completed job.
        counts = [0] * (len(CHUNK_BUCKETS) + 1)
        total = 0.0
        for job in jobs:
            if job.status != "completed" or not job.started_at or not job.finished_at:
                continue
            in_flight = min(wsettings.JOB_PARALLELISM, job.chunk_count)
            seconds = (job.finished_at - job.started_at) * in_flight / max(job.chunk_count, 1)
            total += seconds
            index = next(
                (i for i, b in enumerate(CHUNK_BUCKETS) if seconds <= b), len(CHUNK_BUCKETS)
            )
            counts[index] += 1
        buckets: list[tuple[str, float]] = []
        running = 0
        for bound, count in zip([*map(str, CHUNK_BUCKETS), "+Inf"], counts, strict=True):
            running += count
            buckets.append((bound, running))
        family = HistogramMetricFamily(
            "screening_chunk_seconds",
            "Mean seconds per chunk of each completed job (derived from job timestamps).",
        )
        family.add_metric([], buckets, sum_value=total)
        return family


class Metrics:
    """One app's metric instruments and registry."""

    def __init__(self, store: JobStore) -> None:
        self.registry = CollectorRegistry()
        self.instant_seconds = Histogram(
            "screening_instant_check_seconds",
            "Latency of POST /v1/screen (engine time).",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.instant_checks = Counter(
            "screening_instant_checks", "Instant checks answered.", ["outcome"],
            registry=self.registry,
        )
        self.jobs_submitted = Counter(
            "screening_jobs_submitted", "Jobs accepted.", registry=self.registry
        )
        self.records_submitted = Counter(
            "screening_records_submitted", "Records in accepted jobs.", registry=self.registry
        )
        self.requests = Counter(
            "screening_http_requests", "HTTP requests answered.", ["endpoint", "status"],
            registry=self.registry,
        )
        self.registry.register(JobCollector(store))

    def render(self) -> bytes:
        return generate_latest(self.registry)

