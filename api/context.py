"""The per-app services (Redis client, job store, tenant store) views reach via
`services()`. Injected by `create_app`, so tests bind an app to their own Redis."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from flask import current_app

from api.metrics import Metrics
from api.tenants import TenantStore
from workers.compliance.db import Database
from workers.jobstore import JobStore

EXTENSION = "screening"


@dataclass(slots=True)
class Services:
    redis: redis.Redis
    jobs: JobStore
    tenants: TenantStore
    prefix: str
    metrics: Metrics
    compliance: Database  # decisions, whitelists, audit trail (issue 11)


def services() -> Services:
    found: Services = current_app.extensions[EXTENSION]
    return found
