"""What each tenant role may do. One table, enforced with 403 and a message naming the
role and what it allows.

- bank: everything: instant checks, batch jobs up to the record cap
  (SCREENING_MAX_RECORDS or the tenant's max_batch_size), reading and deleting its jobs.
- employer: instant checks, and small jobs of at most SCREENING_EMPLOYER_MAX_RECORDS
  records (a few new hires at once); reading and deleting its own jobs.
"""

from __future__ import annotations

from api import settings
from api.errors import Forbidden
from api.tenants import Tenant

ROLE_DESCRIPTIONS = {
    "bank": "instant checks and batch jobs of any size up to the record cap",
    "employer": "instant checks (POST /v1/screen) and small jobs of at most "
    "{max} records",
}


def allowed(role: str) -> str:
    return ROLE_DESCRIPTIONS.get(role, "nothing").format(max=settings.EMPLOYER_MAX_RECORDS)


def job_record_cap(tenant: Tenant) -> int | None:
    """Most records a job of this tenant's role may hold (None: no role limit)."""
    return settings.EMPLOYER_MAX_RECORDS if tenant.role == "employer" else None


def check_job_size(tenant: Tenant, records: int) -> None:
    cap = job_record_cap(tenant)
    if cap is not None and records > cap:
        raise Forbidden(
            f"Role {tenant.role!r} may run {allowed(tenant.role)}; this job holds {records} "
            f"records. Split it into jobs of at most {cap}, or ask the operator for a "
            "`bank` tenant for batch screening.",
            field="records",
            details={"role": tenant.role, "allowed": allowed(tenant.role),
                     "records": records, "max_records_for_role": cap},
        )
