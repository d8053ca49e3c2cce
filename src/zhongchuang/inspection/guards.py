"""Guards of the site inspection, named in workflow/certification.yaml."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from zhongchuang.workflow.guards import guard


@guard("inspection_report_signed")
def inspection_report_signed(application: Any, now: datetime) -> str | None:
    """complete_inspection needs the inspection report signed by every inspector who declared."""
    from zhongchuang.inspection.models import Inspection

    inspection = Inspection.objects.filter(application_id=application.pk).first()
    if inspection is None:
        return _("尚未指派现场核查人员")
    if inspection.signed_at is None or not inspection.report:
        return _("现场核查报告尚未签署完成")
    return None
