"""Guards of the collective-decision steps, named in the workflow file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from zhongchuang.workflow.guards import guard


@guard("decision_approves")
def decision_approves(application: Any, now: datetime) -> str | None:
    from zhongchuang.decisions.models import Decision

    outcome = Decision.objects.filter(application_id=application.pk).values_list("outcome", flat=True).first()
    if outcome is None:
        return _("尚未记录集体研究决定")
    if outcome == Decision.Outcome.REJECT:
        return _("集体研究决定为不予认定")
    return None


@guard("decision_rejects")
def decision_rejects(application: Any, now: datetime) -> str | None:
    from zhongchuang.decisions.models import Decision

    outcome = Decision.objects.filter(application_id=application.pk).values_list("outcome", flat=True).first()
    if outcome is None:
        return _("尚未记录集体研究决定")
    if outcome != Decision.Outcome.REJECT:
        return _("集体研究决定为通过，不能作不予认定")
    return None
