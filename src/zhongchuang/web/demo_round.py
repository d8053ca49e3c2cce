"""Demo data for the bureau's side: one 2025 round walked from receipt to certificate, and applications
waiting at each desk of the open demo rounds (receipt, formal review, correction).

Every step goes through the services staff use, with the dates the step would have had, so the
history, the audit chain, the notice and the certificate are those of a real round.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from zhongchuang.engine.context import SHANGHAI  # the one definition of the product's time zone


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def _staff(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def submit(space: Any, round_: Any, by: Any, now: datetime) -> Any:
    from zhongchuang.applications.services import application_create, application_submit

    application = application_create(space=space, round=round_, by=by)
    application_submit(application=application, pledge_accepted=True, by=by, now=now)
    application.refresh_from_db()
    return application


def receive(application: Any, *, postmarked: date, received: datetime, by: Any) -> None:
    from zhongchuang.review.services import receipt_log

    receipt_log(
        application,
        received_at=received,
        postmark_date=postmarked,
        tracking_number=f"SF{application.pk:010d}",
        pages=86,
        carrier="顺丰速运",
        by=by,
        now=received,
    )


def review_everything(application: Any, *, by: Any, now: datetime) -> None:
    """Agree with every criterion of the latest version and confirm every item needing a person."""
    from zhongchuang.review.services import criterion_verdict_give, review_item_resolve

    evaluation = application.versions.order_by("-number").first().evaluation
    for criterion in evaluation["criteria"]:
        criterion_verdict_give(
            application, criterion_id=criterion["id"], verdict="agree", reason="", by=by, now=now
        )
        for check in criterion["checks"]:
            if check["status"] == "needs_review":
                review_item_resolve(
                    application, check_id=check["id"], outcome="confirmed", note="已核对原件", by=by, now=now
                )


def inspect(application: Any, *, admin: Any, inspector: Any, day: date) -> None:
    from zhongchuang.inspection.services import (
        finding_record,
        inspection_assign,
        inspection_declare,
        inspection_sign,
    )

    inspection = inspection_assign(
        application=application, inspectors=[inspector], planned_on=day, by=admin, now=at(day, 9)
    )
    assignment = inspection.assignments.get(inspector=inspector)
    inspection_declare(assignment=assignment, no_conflict=True, by=inspector, now=at(day, 9))
    for item in inspection.items.all():
        measured = item.declared - Decimal(12) if item.measurable else None  # tape measure vs plan
        finding_record(
            item=item, result="conforms", note="现场核实", measured=measured, by=inspector, now=at(day, 11)
        )
    inspection_sign(
        inspection=inspection,
        typed_name=inspector.get_full_name() or inspector.username,
        confirmed=True,
        by=inspector,
        now=at(day, 16),
    )


def decide(application: Any, *, admin: Any, reviewer: Any, day: date) -> None:
    from zhongchuang.decisions.services import decision_record, decision_take_step, meeting_create

    meeting = meeting_create(
        round=application.round,
        held_on=day,
        place="市科技局三楼会议室",
        chair=admin,
        staff=[admin, reviewer],
        experts=["陈教授（厦门大学）", "王高工（市生产力促进中心）"],
        minutes="会议听取了形式审核和现场核查情况汇报，经集体研究，同意拟认定。",
        by=admin,
    )
    decision_record(
        meeting=meeting,
        application=application,
        outcome="approve",
        reasons="各项认定条件经形式审核和现场核查均符合。",
        cited_clauses=[],
        deciders=list(meeting.attendees.all()),
        votes=(4, 0, 0),
        by=admin,
        now=at(day, 15),
    )
    decision_take_step(application=application, by=admin, now=at(day, 16))


def walk_demo_rounds(spaces: dict[str, Any]) -> None:
    """The 2025 comprehensive round to the end for 鹭创, and the open rounds' desks for the others."""
    from zhongchuang.applications.models import Round
    from zhongchuang.certificates.services import certificate_issue
    from zhongchuang.notice.services import notice_publish
    from zhongchuang.review.services import CorrectionEntry, correction_request_create
    from zhongchuang.workflow.services import transition

    admin, reviewer, inspector = _staff("xm_admin"), _staff("xm_reviewer"), _staff("xm_inspector")
    operator = {login: _staff(login) for login in ("luchuang", "xinhuo", "kangchuang")}
    closed = Round.objects.get(name="2025年市级众创空间认定（综合型）")

    # 鹭创: the whole 2025 process, ending with certificate 厦科众创〔2025〕001号
    done = submit(spaces["luchuang"], closed, operator["luchuang"], at(date(2025, 3, 10)))
    receive(done, postmarked=date(2025, 3, 20), received=at(date(2025, 3, 24)), by=reviewer)
    transition(done, "start_formal_review", by=reviewer, now=at(date(2025, 3, 26)))
    review_everything(done, by=reviewer, now=at(date(2025, 4, 8)))
    transition(
        done, "pass_formal_review", by=reviewer, comment="材料齐全，形式审核通过", now=at(date(2025, 4, 9))
    )
    inspect(done, admin=admin, inspector=inspector, day=date(2025, 4, 22))
    transition(done, "complete_inspection", by=inspector, now=at(date(2025, 4, 22), 17))
    decide(done, admin=admin, reviewer=reviewer, day=date(2025, 5, 15))
    notice_publish(round=closed, start_date=date(2025, 5, 20), by=admin, now=at(date(2025, 5, 19)))
    certificate_issue(application=done, by=admin, now=at(date(2025, 6, 3)))

    # the open demo rounds: 鹭创's submission waits for its paper packet (created by the operator demo);
    # 星火 is asked for a correction; 康创 is in formal review
    now = datetime.now(SHANGHAI)
    open_rounds = Round.objects.filter(is_open=True, deadline__gte=now.date()).order_by("-deadline")
    comprehensive = open_rounds.get(policy_id="xiamen-2025-comprehensive")
    specialized = open_rounds.get(policy_id="xiamen-2025-specialized")
    corrected = submit(spaces["xinhuo"], comprehensive, operator["xinhuo"], now)
    receive(corrected, postmarked=now.date(), received=now, by=reviewer)
    transition(corrected, "start_formal_review", by=reviewer, now=now)
    correction_request_create(
        corrected,
        items=[CorrectionEntry("请补充近一年活动的签到表或照片（附件5）", table="activities")],
        due_date=date.fromordinal(now.date().toordinal() + 15),
        by=reviewer,
        now=now,
    )
    reviewing = submit(spaces["kangchuang"], specialized, operator["kangchuang"], now)
    receive(reviewing, postmarked=now.date(), received=now, by=reviewer)
    transition(reviewing, "start_formal_review", by=reviewer, now=now)
