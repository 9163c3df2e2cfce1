"""`make eval`'s own arithmetic: the threshold sweep counts exactly what the summary line
counts at the same threshold, and the Hangul reverse mapping's training gives a closed
syllable its final consonant."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench import build_hangul_foreign as build
from bench import evaluate
from matching.engine import DEFAULT_THRESHOLD


def test_the_sweep_holds_the_default_threshold_exactly() -> None:
    cuts = evaluate.sweep_cuts()
    assert cuts[0] == evaluate.SWEEP_FROM and cuts[-1] == 0.95 and len(cuts) == 17
    assert DEFAULT_THRESHOLD in cuts  # np.arange gave 0.8000000000000003


def test_a_case_at_exactly_the_threshold_counts_in_the_sweep_and_the_summary() -> None:
    case = evaluate.Case("ru_hangul", None, ("l", "1"))  # type: ignore[arg-type]
    scores = [(0.8, 0.8)]
    at = [evaluate.rates([case], scores, c, "ru_hangul") for c in evaluate.sweep_cuts()]
    assert at[evaluate.sweep_cuts().index(0.8)] == evaluate.rates(
        [case], scores, DEFAULT_THRESHOLD, "ru_hangul"
    ) == 1.0


def test_em_starts_a_closed_syllable_only_on_chunks_that_end_in_its_final() -> None:
    rek = build._Start("렉<")
    assert rek["exan"] == 0.0 and rek[""] == 0.0  # 렉's ㄱ handed to a neighbour
    assert rek["lex"] == rek["ek"] == rek["rech"] == 1.0
    assert build._Start("민$")["mine"] == 1.0  # a silent e after the final (Jasmine)
    assert build._Start("리")[""] == build._Start("리")["ry"] == 1.0  # open: anything
