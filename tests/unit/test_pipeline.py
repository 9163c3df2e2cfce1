"""`screen_records` answers every record, in order: a record that makes the engine fail
is flagged with an error (never silently "no hit"), and the others are still screened.
A fake engine is used here on purpose: this is the unit test of the fallback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matching.model import Match, Query
from workers.pipeline import RECORD_ERROR, screen_records


def _match(name: str, list_name: str = "kr-mofa") -> Match:
    return Match(list_name, "ID-" + name, "Person", name, name, 0.9, {"why": "fake"})


class FlakyEngine:
    """Matches every name except "BOOM", on which it raises, alone or in a batch."""

    def screen(
        self, query: Query, threshold: float = 0.8, limit: int = 10, policy: Any = None
    ) -> list[Match]:
        if query.name == "BOOM":
            raise RuntimeError("engine bug")
        return [_match(query.name), _match(query.name, "un_sc")][:limit]

    def screen_many(
        self, queries: Sequence[Query], threshold: float = 0.8, limit: int = 10,
        policy: Any = None,
    ) -> list[list[Match]]:
        return [self.screen(q, threshold, limit) for q in queries]


def run(records: list[dict[str, Any]], **kw: Any) -> list[dict[str, Any]]:
    engine: Any = FlakyEngine()
    return screen_records(engine, records, threshold=0.8, limit=kw.pop("limit", 10), **kw)


def test_every_record_gets_a_result_in_order() -> None:
    out = run([{"id": "1", "name": "Anna"}, {"id": "2", "name": "Boris"}])
    assert [r["id"] for r in out] == ["1", "2"]
    assert [m["name"] for m in out[1]["matches"]] == ["Boris", "Boris"]
    assert all("error" not in r for r in out)


def test_a_record_that_breaks_the_engine_is_flagged_and_the_rest_screened() -> None:
    out = run([{"id": "1", "name": "Anna"}, {"id": "2", "name": "BOOM"}, {"id": "3", "name": "C"}])
    assert [r["id"] for r in out] == ["1", "2", "3"]
    assert out[1]["matches"] == [] and out[1]["error"] == RECORD_ERROR
    assert out[0]["matches"] and out[2]["matches"]
    assert "error" not in out[0] and "error" not in out[2]


def test_list_filter_keeps_only_the_chosen_lists() -> None:
    out = run([{"id": "1", "name": "Anna"}], lists=["un_sc"])
    assert [m["list"] for m in out[0]["matches"]] == ["un_sc"]


def test_limit_applies_after_the_list_filter() -> None:
    out = run([{"id": "1", "name": "Anna"}], lists=["un_sc"], limit=1)
    assert [m["list"] for m in out[0]["matches"]] == ["un_sc"]
