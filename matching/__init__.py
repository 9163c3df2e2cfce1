"""Pure matching domain: scripts, transliteration, lists, candidate index, scoring.

This package must never import flask, celery, redis, api or workers; thresholds,
paths and limits arrive as arguments.
"""

from matching.model import (
    SCHEMAS,
    Entity,
    Identifier,
    ListMeta,
    LoadedList,
    Match,
    Query,
)

__all__ = ["SCHEMAS", "Entity", "Identifier", "ListMeta", "LoadedList", "Match", "Query"]
