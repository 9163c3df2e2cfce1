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
from workers.jobstore import STATUSES, JobStore
from workers.pipeline import CHUNK_BUCKETS

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class JobCollector(Collector):
    """Job figures at scrape time from counters the job store keeps as jobs change state
    and from the unfinished jobs only: a scrape never scans every job key."""

    def __init__(self, store: JobStore) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        stats = self.store.stats()
        active = [j for j in (self.store.get_job(i) for i in self.store.active_job_ids())
                  if j is not None]
        now = time.time()
        by_state = GaugeMetricFamily(
            "screening_jobs", "Unfinished jobs by state; finished states count the jobs that "
            "reached them since the data store was created.", labels=["state"])
        for state in STATUSES:
            value = (sum(1 for j in active if j.status == state) if state in ("queued", "running")
                     else stats.get(state, 0))
            by_state.add_metric([state], value)
        yield by_state
        yield GaugeMetricFamily(
            "screening_job_records_screened", "Records screened since the data store was created.",
            value=stats.get("records_screened", 0),
        )
        rate = sum(
            j.done / max(now - j.started_at, 1e-3)
            for j in active
            if j.status == "running" and j.started_at
        )
        yield GaugeMetricFamily(
            "screening_records_per_second", "Records/s across running jobs.", value=rate
        )
        depth = self.store.r.llen(wsettings.CHUNK_QUEUE)
        yield GaugeMetricFamily(
            "screening_queue_depth", "Chunks waiting in the broker queue.", value=int(depth)
        )
        yield self._chunk_histogram(stats)

    @staticmethod
    def _chunk_histogram(stats: dict[str, float]) -> HistogramMetricFamily:
        buckets: list[tuple[str, float]] = []
        running = 0.0
        for bound in [*map(str, CHUNK_BUCKETS), "+Inf"]:
            running += stats.get(f"chunk_le_{bound}", 0)
            buckets.append((bound, running))
        family = HistogramMetricFamily(
            "screening_chunk_seconds",
            "Mean seconds per chunk of each completed job (derived from job timestamps).",
        )
        family.add_metric([], buckets, sum_value=stats.get("chunk_seconds_sum", 0.0))
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

