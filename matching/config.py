"""Every scoring weight in one typed, frozen object.

The engine, the name scorer and the secondary features read their weights from
`WEIGHTS`; `weights_hash()` fingerprints the whole object and is recorded on every
result, so an auditor can tell which weights produced a decision. Changing any value
changes the hash (tests/unit/test_scoring_config.py pins it: update the golden hash
deliberately, with the calibration that justifies the change)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    # -- thresholds -------------------------------------------------------------------
    default_threshold: float = 0.8  # calibrated by `make eval` (README figures)
    # -- name scoring (matching/scoring.py) --------------------------------------------
    initial_sim: float = 0.8  # "S." for "Sergey": evidence, weaker than the full name
    fuzzy_penalty: float = 1.5  # one typo in a 10-letter token scores 0.85
    join_min_length: int = 6  # short words joined spell listed names by chance
    join_floor: float = 0.8
    min_evidence: float = 7.0  # matched IDF mass below which a hit is not credible
    korean_mismatch_cap: float = 0.55  # same surname, other given syllables
    one_word_alias_cap: float = 0.75  # a one-word alias met by one word of a fuller name
    # A person's names that each hold a word the other lacks (another surname, or a
    # given-name-only alias met by someone else's surname): a namesake, shown not alerted.
    name_conflict_cap: float = 0.75
    weak_alias_factor: float = 0.92
    # A Hangul-written foreign word's Latin reading met by typo tolerance, not read by the
    # model (issue 8, tuned on the ru_hangul dev split)
    foreign_key_factor: float = 0.95
    # Share of a Hangul syllable's learned reading row given to its composed readings (its
    # open syllable + the final's letters): smooths rows learned from few pairs (issue 8)
    foreign_row_smoothing: float = 0.1
    # ...and more for a row learned from few pairs: n pairs give the composed readings
    # max(smoothing, prior / (n + prior)) (막, from Maximilian: "maxi" 87%, "mak" 7%)
    foreign_row_prior: float = 10.0
    stem_sim: float = 0.88
    missing_patronymic_factor: float = 0.35
    missing_concept_factor: float = 0.5
    korean_surname_weight: float = 1.0
    korean_given_weight: float = 1.5
    # -- token weights (matching/engine.py) --------------------------------------------
    common_token_weight: float = 3.5
    concept_weight: float = 3.0
    n_floor: int = 20000
    # -- secondary features (matching/features.py) -------------------------------------
    dob_exact: float = 0.06
    dob_year: float = 0.03
    dob_near: float = 0.0  # one year apart: a data-entry slip, barely matters
    dob_day_month_conflict: float = -0.08  # same year, full dates differ in day and month
    dob_gap: float = -0.08  # 2 years up to the namesake gap
    dob_namesake: float = -0.22  # gap >= policy.namesake_year_gap: another person
    dob_namesake_full: float = -0.27  # ...and both full dates known
    country_match: float = 0.02
    country_conflict: float = -0.04
    gender_match: float = 0.01
    gender_conflict: float = -0.10
    schema_conflict: float = -0.15  # with strict types off
    identifier_match_score: float = 0.99  # an exact identifier decides
    imo_conflict: float = -0.20
    missing_data: float = -0.02  # per missing secondary datum, policy missing_data="lower"

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


WEIGHTS = ScoringConfig()


@lru_cache(maxsize=8)
def weights_hash(config: ScoringConfig = WEIGHTS) -> str:
    """sha256 of the canonical JSON of every weight (first 16 hex digits)."""
    raw = json.dumps(config.to_dict(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]
