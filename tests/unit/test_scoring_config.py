"""The scoring configuration is pinned: its hash (recorded on every result) and the
scores it gives a fixed set of records against the built-in list. A deliberate change of
any weight must update both here, with the calibration (`make eval`) that justifies it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matching.config import WEIGHTS, ScoringConfig, weights_hash
from matching.engine import Engine
from matching.lists import load_spec
from matching.model import Query

GOLDEN_HASH = "08a14bfcba52b625"  # + foreign_row_prior (issue 8, session 5)

GOLDEN_SCORES = [
    (Query("Козлов Сергей Михайлович", birth_date="1960-05-31", country="RU"),
     "KR-MOFA-2024-004", 1.0),
    (Query("Kozlov Sergei", birth_date="1962"), "KR-MOFA-2024-004", 0.8395),
    (Query("ООО «Интеллект»"), "KR-MOFA-2024-003", 1.0),
    (Query("Panfilov Aleksandr", birth_date="1975", country="RU"), "KR-MOFA-2024-006", 0.9781),
    (Query("M/V Lady R", schema="Vessel"), "KR-MOFA-2024-001", 1.0),
]


def test_the_whole_configuration_is_pinned() -> None:
    assert weights_hash() == GOLDEN_HASH


def test_any_weight_change_changes_the_hash() -> None:
    for name, value in WEIGHTS.to_dict().items():
        changed = replace(WEIGHTS, **{name: value + 1})
        assert weights_hash(changed) != GOLDEN_HASH, name


def test_config_is_frozen() -> None:
    with pytest.raises(AttributeError):
        WEIGHTS.dob_exact = 1.0  # type: ignore[misc]
    assert isinstance(WEIGHTS, ScoringConfig)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_spec("kr-mofa"))


@pytest.mark.parametrize(("query", "target", "score"), GOLDEN_SCORES,
                         ids=[q.name for q, _, _ in GOLDEN_SCORES])
def test_golden_scores(engine: Engine, query: Query, target: str, score: float) -> None:
    top = engine.screen(query, threshold=0.0)[0]
    assert (top.source_id, round(top.score, 4)) == (target, score)
