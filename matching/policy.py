"""The matching policy a bank sets (per tenant, or per request): threshold, per-list
thresholds, which lists apply, strict types, the birth-year gap that clears a namesake
and whether missing secondary data lowers a score. Defaults are the calibrated ones:

- threshold 0.8: `make eval`'s calibration (README).
- strict_types on: a company never alerts on a vessel or a person on name alone (an
  exact identifier still decides).
- namesake_year_gap 5: ±1 year is a data-entry slip; five years apart is another person.
- missing_data "keep": lists often lack birth dates and countries; absence is no evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from matching.config import WEIGHTS
from matching.errors import InvalidQuery

MISSING_DATA = ("keep", "lower")
FIELDS = ("threshold", "list_thresholds", "lists", "strict_types", "namesake_year_gap",
          "missing_data")


@dataclass(frozen=True, slots=True)
class MatchingPolicy:
    threshold: float = WEIGHTS.default_threshold
    list_thresholds: dict[str, float] = field(default_factory=dict)
    lists: tuple[str, ...] | None = None  # None: every list loaded
    strict_types: bool = True
    namesake_year_gap: int = 5
    missing_data: str = "keep"

    def threshold_for(self, list_name: str) -> float:
        return self.list_thresholds.get(list_name, self.threshold)

    def floor(self) -> float:
        """The lowest threshold in force: the engine screens at it, then filters."""
        return min([self.threshold, *self.list_thresholds.values()])

    def to_dict(self) -> dict[str, Any]:
        # What dataclasses.asdict gives, field by field: every match's explanation
        # carries one, and asdict's generic deep copy cost more than the rest of it.
        return {
            "threshold": self.threshold,
            "list_thresholds": dict(self.list_thresholds),
            "lists": list(self.lists) if self.lists is not None else None,
            "strict_types": self.strict_types,
            "namesake_year_gap": self.namesake_year_gap,
            "missing_data": self.missing_data,
        }

    def merged(self, overrides: Mapping[str, Any] | None) -> MatchingPolicy:
        """This policy with `overrides` (validated) applied on top."""
        if not overrides:
            return self
        return replace(self, **_validated(overrides))


DEFAULT_POLICY = MatchingPolicy()


def policy_from(*layers: Mapping[str, Any] | None) -> MatchingPolicy:
    """Defaults, then each layer in turn (tenant settings, then the request)."""
    policy = DEFAULT_POLICY
    for layer in layers:
        policy = policy.merged(layer)
    return policy


def _bad(name: str, problem: str) -> InvalidQuery:
    return InvalidQuery(f"policy.{name} {problem}", field=f"policy.{name}")


def _score(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise _bad(name, "must be a number between 0 and 1")
    return float(value)


def _validated(raw: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidQuery("policy must be an object", field="policy")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in FIELDS:
            raise _bad(str(key), f"is not a policy setting (one of {', '.join(FIELDS)})")
        if value is None:
            continue
        if key == "threshold":
            out[key] = _score(key, value)
        elif key == "list_thresholds":
            if not isinstance(value, Mapping):
                raise _bad(key, "must map list names to thresholds")
            out[key] = {str(k): _score(f"{key}.{k}", v) for k, v in value.items()}
        elif key == "lists":
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise _bad(key, "must be a list of list names")
            out[key] = tuple(sorted(set(value))) or None
        elif key == "strict_types":
            if not isinstance(value, bool):
                raise _bad(key, "must be true or false")
            out[key] = value
        elif key == "namesake_year_gap":
            if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= 50:
                raise _bad(key, "must be a whole number of years between 2 and 50")
            out[key] = value
        elif key == "missing_data":
            if value not in MISSING_DATA:
                raise _bad(key, "must be 'keep' or 'lower'")
            out[key] = value
    return out
