"""Typed errors of the compliance record; `api/errors.py` maps them to HTTP statuses."""

from __future__ import annotations

from matching.errors import ScreeningError

RETRY_AFTER_SECONDS = 5


class ComplianceError(ScreeningError):
    code = "compliance_error"
    headers: dict[str, str] = {}  # noqa: RUF012  (read-only class default)


class StoreUnavailable(ComplianceError):
    """The database cannot be reached: nothing was recorded, retry later."""

    code = "database_unavailable"
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}  # noqa: RUF012


class HitNotFound(ComplianceError):
    code = "hit_not_found"


class DecisionNotFound(ComplianceError):
    code = "decision_not_found"


class EntityNotFound(ComplianceError):
    code = "entity_not_found"


class InvalidDecision(ComplianceError):
    code = "invalid_decision"


class DecisionConflict(ComplianceError):
    """The decision cannot change as asked (already confirmed, superseded, or an
    Idempotency-Key reused for a different decision)."""

    code = "decision_conflict"


class SameUser(ComplianceError):
    """Four-eyes: the author of a decision cannot confirm it."""

    code = "four_eyes_same_user"
