"""Engine API: result shape, ordering, threshold/limit semantics, batch == single, threads."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from matching.config import weights_hash
from matching.engine import ALGORITHM_NAME, ALGORITHM_VERSION, DEFAULT_THRESHOLD, Engine
from matching.model import Query
from matching.policy import DEFAULT_POLICY
from tests.unit.engine_lists import ENTITIES, make_lists


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(make_lists())


def test_counts_and_versions(engine: Engine) -> None:
    assert engine.entity_count == len(ENTITIES)
    (version,) = engine.versions()
    assert version["name"] == "test" and version["version"].startswith("2026-01-01+")


def test_explanation_shape_is_json_ready(engine: Engine) -> None:
    m = engine.screen(Query("Козлов Сергей Михайлович", birth_date="1960", country="ru"))[0]
    ex = m.explanation
    json.dumps(ex)
    assert ex["algorithm"] == {
        "name": ALGORITHM_NAME, "version": ALGORITHM_VERSION, "weights_hash": weights_hash()
    }
    assert ex["policy"] == DEFAULT_POLICY.to_dict()
    assert ex["query_form"]["script"] == "cyrillic"
    assert ex["query_form"]["scheme"] in {
        "icao",
        "bgn_pcgn",
        "gost",
        "gost_ascii",
        "unidecode",
        "wikipedia",
        "french",
        "french_plain",
        "german",
    }
    assert ex["list_name"]["quality"] in {"primary", "alias", "weak"}
    assert ex["score"] == round(m.score, 4)
    assert {"query", "list", "score", "weight"} <= set(ex["tokens"][0])
    features = {f["feature"]: f for f in ex["features"]}
    assert features["dob"]["effect"] > 0 and features["country"]["effect"] > 0
    assert {"feature", "query", "list", "effect", "note"} == set(features["dob"])


def test_sorted_threshold_and_limit(engine: Engine) -> None:
    all_ = engine.screen(Query("Sergey Kozlov"), threshold=0.0, limit=50)
    scores = [m.score for m in all_]
    assert scores == sorted(scores, reverse=True)
    assert any(s < DEFAULT_THRESHOLD for s in scores)  # threshold 0 shows the near misses
    assert len(engine.screen(Query("Sergey Kozlov"), threshold=0.0, limit=2)) == 2
    assert all(m.score >= 0.9 for m in engine.screen(Query("Sergey Kozlov"), threshold=0.9))


def test_screen_many_equals_screen(engine: Engine) -> None:
    queries = [Query(n) for n in ("김정은", "LADY R", "Kim", "ООО «Интеллект»", "Sergei Kozlov")]
    many = engine.screen_many(queries)
    single = [engine.screen(q) for q in queries]
    assert [[(m.source_id, m.score) for m in r] for r in many] == [
        [(m.source_id, m.score) for m in r] for r in single
    ]


def test_concurrent_screening(engine: Engine) -> None:
    queries = [Query(n) for n in ("김정은", "M/V LADY R", "Sergei Kozlov", "조선광선은행")] * 25
    expected = [[m.source_id for m in engine.screen(q)] for q in queries]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda q: [m.source_id for m in engine.screen(q)], queries))
    assert got == expected


def test_empty_lists() -> None:
    assert Engine([]).screen(Query("Anyone")) == []
