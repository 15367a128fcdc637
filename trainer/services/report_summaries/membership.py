"""A trainee joining, moving or leaving takes their share of the cohort sums with them.

Mapper events run inside the flush, on its connection, so the change and the sums commit
together whatever service changed the membership (moving, importing, LTI provisioning, the
demo). Registered when ``services.report_summaries`` is imported.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect

from ...models import CohortMember
from .cohort_sums import drop_empty
from .refresh_rows import contribute, lock


@event.listens_for(CohortMember, "after_insert")
def _joined(_mapper: Any, connection: Any, member: CohortMember) -> None:
    cohorts = lock(connection, [member.user_id])
    contribute(connection, [member.user_id], +1)
    drop_empty(connection, cohorts)


@event.listens_for(CohortMember, "before_update")
def _leaving_for_another(_mapper: Any, connection: Any, member: CohortMember) -> None:
    history = inspect(member).attrs.cohort_id.history
    if not history.has_changes():
        return
    lock(connection, [member.user_id], also=[member.cohort_id])
    contribute(connection, [member.user_id], -1)  # the row still names the old cohort


@event.listens_for(CohortMember, "after_update")
def _arrived(_mapper: Any, connection: Any, member: CohortMember) -> None:
    history = inspect(member).attrs.cohort_id.history
    if not history.has_changes():
        return
    contribute(connection, [member.user_id], +1)
    drop_empty(connection, [*history.deleted, member.cohort_id])


@event.listens_for(CohortMember, "before_delete")
def _left(_mapper: Any, connection: Any, member: CohortMember) -> None:
    cohorts = lock(connection, [member.user_id])
    contribute(connection, [member.user_id], -1)
    drop_empty(connection, cohorts)
