"""How a stored job is shown: progress percent, records/s since start, an estimated finish
only when there is a rate, and a Retry-After hint between 1 and 30 seconds."""

from __future__ import annotations

from api.jobs_view import job_view, progress, retry_after
from workers.jobstore import Job


def _job(**changes: object) -> Job:
    base: dict[str, object] = dict(
        id="j1", tenant="t", status="running", total=1000, chunk_size=250, chunk_count=4,
        done=250, hits=3, chunks_done=1, next_chunk=2, created_at=100.0, updated_at=110.0,
        started_at=100.0, finished_at=None,
        options={"threshold": 0.75, "limit": 10, "lists": None, "reference": "r"},
        list_ref={"versions": [{"name": "kr-mofa", "version": "v1"}]},
    )
    base.update(changes)
    return Job(**base)  # type: ignore[arg-type]


def test_progress_of_a_running_job() -> None:
    info = progress(_job(), now=110.0)
    assert info["percent"] == 25.0
    assert info["records_per_second"] == 25.0
    assert info["estimated_finish"] is not None
    assert info["estimated_finish"].timestamp() == 140.0


def test_queued_job_has_no_estimate_and_short_retry() -> None:
    job = _job(status="queued", done=0, started_at=None)
    assert progress(job, now=105.0)["estimated_finish"] is None
    assert retry_after(job, now=105.0) == 2


def test_retry_after_is_bounded() -> None:
    slow = _job(done=1, started_at=0.0)  # 1 record in 110 s: years to go
    assert retry_after(slow, now=110.0) == 30
    fast = _job(done=999)
    assert retry_after(fast, now=110.0) == 1


def test_view_names_lists_options_and_links() -> None:
    view = job_view(_job(status="completed", done=1000, finished_at=120.0))
    assert view["lists"] == [{"name": "kr-mofa", "version": "v1"}]
    assert view["options"] == {"threshold": 0.75, "limit": 10, "lists": None}
    assert view["reference"] == "r"
    assert view["links"]["results"] == "/v1/jobs/j1/results"
    assert view["progress"]["records_per_second"] == 50.0
