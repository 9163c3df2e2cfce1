"""GET /v1/lists: the lists loaded and their versions."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from api.auth import SECURITY_SCHEME, tenant_required
from api.schemas import ListsOut
from matching.engine import ALGORITHM_NAME, ALGORITHM_VERSION
from workers import engines

bp = APIBlueprint("lists", __name__, url_prefix="/v1", tag="Lists")


@bp.get("/lists")
@tenant_required
@bp.output(ListsOut)
@bp.doc(
    summary="Loaded lists and versions",
    description="The sanctions lists new jobs and instant checks screen against.",
    security=SECURITY_SCHEME,
    responses={401: "Missing, unknown or revoked API key.",
               429: "Rate limit exceeded: wait for Retry-After seconds."},
)
def get_lists() -> Any:
    ref = engines.current_list_ref()
    return {
        "key": ref["key"],
        "lists": ref["versions"],
        "algorithm": {"name": ALGORITHM_NAME, "version": ALGORITHM_VERSION},
    }
