"""Collective decision (集体研究): meetings, recusals, decisions citing clauses, and the steps they allow."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from zhongchuang.accounts.models import Bureau, Role
from zhongchuang.applications.models import Application
from zhongchuang.applications.services import round_open
from zhongchuang.audit.models import Action, AuditEntry
from zhongchuang.decisions.models import Decision
from zhongchuang.decisions.selectors import certified_type
from zhongchuang.decisions.services import (
    DecisionError,
    decision_record,
    decision_take_step,
    meeting_create,
    recusal_record,
)
from zhongchuang.workflow.services import TransitionRefused, transition

from .conftest import logged_in, make_bureau_user, put_in_state, submit_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(submitted_application: Any) -> Application:
    return put_in_state(submitted_application, "collective_decision")


@pytest.fixture
def meeting(xm_round: Any, bureau_admin: Any, reviewer: Any) -> Any:
    return meeting_create(
        round=xm_round,
        held_on=date(2025, 6, 3),
        place="市科技局301会议室",
        chair=bureau_admin,
        staff=[reviewer],
        experts=["王教授（厦门大学）", "李会计师"],
        minutes="会议研究了2025年市级众创空间认定申报。",
        by=bureau_admin,
    )


def attendee(meeting: Any, name: str) -> Any:
    return meeting.attendees.get(name=name)


def everyone(meeting: Any) -> list[Any]:
    return list(meeting.attendees.all())


def test_a_meeting_lists_staff_and_external_experts_and_is_audited(meeting: Any) -> None:
    names = [str(a) for a in meeting.attendees.all()]
    assert names == ["xm_admin", "xm_reviewer", "王教授（厦门大学）（外部专家）", "李会计师（外部专家）"]
    entry = AuditEntry.objects.get(action=Action.MEETING_RECORDED, table="meeting", row_id=meeting.pk)
    assert entry.after["place"] == "市科技局301会议室"


def test_staff_of_another_bureau_cannot_attend(xm_round: Any, bureau_admin: Any) -> None:
    shanghai = Bureau.objects.create(name="上海市科学技术委员会", city="上海市")
    stranger = make_bureau_user(shanghai, "sh_admin", Role.BUREAU_ADMIN)
    with pytest.raises(DecisionError, match="不是本部门工作人员"):
        meeting_create(
            round=xm_round,
            held_on=date(2025, 6, 3),
            place="301",
            chair=bureau_admin,
            staff=[stranger],
            by=bureau_admin,
        )


def test_a_reject_without_a_cited_clause_is_refused(awaiting: Any, meeting: Any, bureau_admin: Any) -> None:
    with pytest.raises(DecisionError, match="至少引用一项") as refused:
        decision_record(
            meeting=meeting,
            application=awaiting,
            outcome="reject",
            reasons="场地面积不足",
            cited_clauses=[],
            deciders=everyone(meeting),
            by=bureau_admin,
        )
    assert refused.value.field == "cited_clauses"
    assert not Decision.objects.exists()


def test_the_reject_form_keeps_what_was_typed_and_says_why_next_to_the_clauses(
    awaiting: Any, meeting: Any, bureau_admin: Any
) -> None:
    client = logged_in(bureau_admin)
    url = reverse("decisions:application_decision", args=[awaiting.pk])
    response = client.post(
        url,
        {
            "action": "record",
            "meeting": meeting.pk,
            "outcome": "reject",
            "reasons": "剩余租期不足两年",
            "deciders": [a.pk for a in everyone(meeting)],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "不予认定须至少引用一项未满足的条款" in page
    assert "剩余租期不足两年" in page  # nothing typed is lost
    assert "剩余租期不少于24个月" in page  # the clauses offered are quoted from the policy


def test_an_unknown_clause_is_refused(awaiting: Any, meeting: Any, bureau_admin: Any) -> None:
    with pytest.raises(DecisionError, match="XM25-C-99"):
        decision_record(
            meeting=meeting,
            application=awaiting,
            outcome="reject",
            reasons="x",
            cited_clauses=["XM25-C-99"],
            deciders=everyone(meeting),
            by=bureau_admin,
        )


def test_a_recused_attendee_cannot_be_recorded_as_deciding(
    awaiting: Any, meeting: Any, bureau_admin: Any
) -> None:
    professor = attendee(meeting, "王教授（厦门大学）")
    recusal_record(
        meeting=meeting,
        attendee=professor,
        application=awaiting,
        reason="曾为该运营机构提供咨询",
        by=bureau_admin,
    )
    with pytest.raises(DecisionError, match="王教授（厦门大学） 已就该申报回避"):
        decision_record(
            meeting=meeting,
            application=awaiting,
            outcome="approve",
            reasons="符合全部认定条件",
            cited_clauses=[],
            deciders=everyone(meeting),
            by=bureau_admin,
        )
    others = [a for a in everyone(meeting) if a != professor]
    decision = decision_record(
        meeting=meeting,
        application=awaiting,
        outcome="approve",
        reasons="符合全部认定条件",
        cited_clauses=[],
        deciders=others,
        votes=(3, 0, 0),
        by=bureau_admin,
    )
    assert professor not in decision.deciders.all()
    page = (
        logged_in(bureau_admin)
        .get(reverse("decisions:application_decision", args=[awaiting.pk]))
        .content.decode()
    )
    assert "曾为该运营机构提供咨询" in page and "不参与本申报的表决" in page


def test_a_decider_cannot_then_recuse_without_changing_the_decision(
    awaiting: Any, meeting: Any, bureau_admin: Any
) -> None:
    decision_record(
        meeting=meeting, application=awaiting, outcome="approve", reasons="符合条件", cited_clauses=[],
        deciders=everyone(meeting), by=bureau_admin,
    )  # fmt: skip
    with pytest.raises(DecisionError, match="已记录为该申报的表决人员"):
        recusal_record(
            meeting=meeting,
            attendee=attendee(meeting, "李会计师"),
            application=awaiting,
            reason="亲属",
            by=bureau_admin,
        )


def test_votes_cannot_exceed_the_people_deciding(awaiting: Any, meeting: Any, bureau_admin: Any) -> None:
    with pytest.raises(DecisionError, match="票数合计（5）超过参与表决人数（4）"):
        decision_record(
            meeting=meeting, application=awaiting, outcome="approve", reasons="符合条件", cited_clauses=[],
            deciders=everyone(meeting), votes=(5, 0, 0), by=bureau_admin,
        )  # fmt: skip


def test_propose_is_refused_through_the_workflow_until_an_approving_decision_is_recorded(
    awaiting: Any, meeting: Any, bureau_admin: Any
) -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition(awaiting, "propose", by=bureau_admin)
    assert refused.value.reasons == ["尚未记录集体研究决定"]
    decision_record(
        meeting=meeting, application=awaiting, outcome="reject", reasons="租期不足", cited_clauses=["XM25-C-3f"],
        deciders=everyone(meeting), by=bureau_admin,
    )  # fmt: skip
    with pytest.raises(TransitionRefused, match="集体研究决定为不予认定"):
        transition(awaiting, "propose", by=bureau_admin)
    awaiting.refresh_from_db()
    assert awaiting.status == "collective_decision"


def test_an_approving_decision_lets_the_admin_propose(awaiting: Any, meeting: Any, bureau_admin: Any) -> None:
    decision_record(
        meeting=meeting, application=awaiting, outcome="approve", reasons="符合全部认定条件", cited_clauses=["XM25-C-3"],
        deciders=everyone(meeting), by=bureau_admin,
    )  # fmt: skip
    with pytest.raises(TransitionRefused, match="集体研究决定为通过"):
        transition(awaiting, "decide_reject", by=bureau_admin, comment="x")
    client = logged_in(bureau_admin)
    response = client.post(
        reverse("decisions:application_decision", args=[awaiting.pk]), {"action": "take_step"}
    )
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == "proposed"
    step = AuditEntry.objects.filter(application=awaiting, after__step="propose").get()
    assert step.after["outcome"] == "approve" and step.after["cited_clauses"] == ["XM25-C-3"]


def test_a_rejecting_decision_rejects_with_its_reasons_as_the_comment(
    awaiting: Any, meeting: Any, bureau_admin: Any
) -> None:
    decision_record(
        meeting=meeting, application=awaiting, outcome="reject", reasons="剩余租期不足24个月", cited_clauses=["XM25-C-3f"],
        deciders=everyone(meeting), by=bureau_admin,
    )  # fmt: skip
    decision_take_step(application=awaiting, by=bureau_admin)
    awaiting.refresh_from_db()
    assert awaiting.status == "rejected"
    entry = AuditEntry.objects.get(application=awaiting, after__step="decide_reject")
    assert entry.after["comment"] == "剩余租期不足24个月"
    recorded = AuditEntry.objects.get(application=awaiting, action=Action.DECISION_RECORDED)
    assert recorded.after["cited_clauses"] == ["XM25-C-3f"] and recorded.after["outcome"] == "reject"


def test_only_applications_awaiting_the_collective_decision_can_be_decided(
    submitted_application: Any, meeting: Any, bureau_admin: Any
) -> None:
    put_in_state(submitted_application, "site_inspection")
    with pytest.raises(DecisionError, match="待集体研究"):
        decision_record(
            meeting=meeting, application=submitted_application, outcome="approve", reasons="x", cited_clauses=[],
            deciders=everyone(meeting), by=bureau_admin,
        )  # fmt: skip


def test_approve_as_comprehensive_needs_a_policy_with_a_fallback(
    awaiting: Any, meeting: Any, bureau_admin: Any
) -> None:
    with pytest.raises(DecisionError, match="按综合型认定"):
        decision_record(
            meeting=meeting, application=awaiting, outcome="approve_as_comprehensive", reasons="x", cited_clauses=[],
            deciders=everyone(meeting), by=bureau_admin,
        )  # fmt: skip
    assert certified_type(awaiting) == "comprehensive"


@pytest.fixture
def specialized_round(xiamen_bureau: Any, bureau_admin: Any) -> Any:
    return round_open(
        bureau=xiamen_bureau,
        name="2025年厦门市市级众创空间认定（专业化）",
        policy_id="xiamen-2025-specialized",
        notice_date=date(2025, 2, 20),
        deadline=date(2025, 3, 21),
        deadline_rule="postmark",
        reference_date=date(2025, 3, 21),
        by=bureau_admin,
    )


def test_a_specialized_applicant_approved_as_comprehensive_is_of_the_comprehensive_type(
    operator_user: Any, specialized_round: Any, bureau_admin: Any
) -> None:
    application = put_in_state(
        submit_example(operator_user, specialized_round, "xiamen-specialized-fallback"), "collective_decision"
    )
    assert certified_type(application) == "specialized"
    meeting = meeting_create(
        round=specialized_round,
        held_on=date(2025, 6, 3),
        place="301",
        chair=bureau_admin,
        staff=[],
        by=bureau_admin,
    )
    page = (
        logged_in(bureau_admin)
        .get(reverse("decisions:application_decision", args=[application.pk]))
        .content.decode()
    )
    assert "按综合型认定" in page and "xiamen-2025-comprehensive" in page  # the frozen fallback is shown
    decision_record(
        meeting=meeting, application=application, outcome="approve_as_comprehensive",
        reasons="不符合专业化聚焦领域比例，符合综合型条件", cited_clauses=["XM25-S-4"],
        deciders=everyone(meeting), by=bureau_admin,
    )  # fmt: skip
    assert certified_type(application) == "comprehensive"


def test_the_decision_page_is_for_the_bureau_admin_of_the_round_only(
    awaiting: Any, meeting: Any, reviewer: Any, operator_user: Any
) -> None:
    url = reverse("decisions:application_decision", args=[awaiting.pk])
    assert logged_in(reviewer).get(url).status_code == 403
    assert logged_in(operator_user).get(url).status_code == 404
    shanghai = Bureau.objects.create(name="上海市科学技术委员会", city="上海市")
    assert logged_in(make_bureau_user(shanghai, "sh_admin", Role.BUREAU_ADMIN)).get(url).status_code == 404
    other_meeting = reverse("decisions:meeting_detail", args=[meeting.pk])
    assert (
        logged_in(make_bureau_user(shanghai, "sh_reviewer", Role.REVIEWER)).get(other_meeting).status_code
        == 404
    )


def test_meeting_pages_list_awaiting_applications_and_record_recusals(
    awaiting: Any, meeting: Any, bureau_admin: Any
) -> None:
    client = logged_in(bureau_admin)
    page = client.get(reverse("decisions:meeting_list", args=[awaiting.round_id])).content.decode()
    assert str(awaiting.space) in page and "市科技局301会议室" in page
    url = reverse("decisions:meeting_detail", args=[meeting.pk])
    response = client.post(
        url, {"attendee": attendee(meeting, "李会计师").pk, "application": awaiting.pk, "reason": ""}
    )
    assert response.status_code == 200 and "回避理由" in response.content.decode()
    response = client.post(
        url,
        {
            "attendee": attendee(meeting, "李会计师").pk,
            "application": awaiting.pk,
            "reason": "与运营机构有业务往来",
        },
    )
    assert response.status_code == 302
    assert "与运营机构有业务往来" in client.get(url).content.decode()
    assert AuditEntry.objects.filter(
        application=awaiting, action=Action.MEETING_RECORDED, table="recusal"
    ).exists()


def test_creating_a_meeting_through_the_page(xm_round: Any, bureau_admin: Any, reviewer: Any) -> None:
    client = logged_in(bureau_admin)
    url = reverse("decisions:meeting_create", args=[xm_round.pk])
    response = client.post(
        url, {"held_on": "2025-06-03", "place": "", "chair": bureau_admin.pk, "experts": "王教授"}
    )
    assert response.status_code == 200 and "王教授" in response.content.decode()
    response = client.post(
        url,
        {
            "held_on": "2025-06-03",
            "place": "301会议室",
            "chair": bureau_admin.pk,
            "staff": [reviewer.pk],
            "experts": "王教授\n\n李会计师",
        },
    )
    assert response.status_code == 302
    meeting = xm_round.meetings.get()
    assert sorted(a.name for a in meeting.attendees.all()) == sorted(
        ["xm_admin", "xm_reviewer", "王教授", "李会计师"]
    )


POPPLER = shutil.which("pdftotext") is not None


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_the_minutes_as_pdf_and_word_quote_the_decisions_and_clauses(
    awaiting: Any, meeting: Any, bureau_admin: Any, tmp_path: Path
) -> None:
    recusal_record(
        meeting=meeting,
        attendee=attendee(meeting, "李会计师"),
        application=awaiting,
        reason="亲属任职",
        by=bureau_admin,
    )
    decision_record(
        meeting=meeting, application=awaiting, outcome="reject", reasons="剩余租期不足", cited_clauses=["XM25-C-3f"],
        deciders=[a for a in everyone(meeting) if a.name != "李会计师"], by=bureau_admin,
    )  # fmt: skip
    client = logged_in(bureau_admin)
    pdf = client.get(reverse("decisions:minutes_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "集体研究会议纪要",
        "市科技局301会议室",
        "亲属任职",
        "不予认定",
        "剩余租期不少于24个月",
        str(awaiting.space),
    ):
        assert expected in "".join(text.split()), expected
    docx = client.get(reverse("decisions:minutes_docx", args=[meeting.pk]))
    from docx import Document

    document = Document(io.BytesIO(docx.content))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "剩余租期不少于24个月" in body and "亲属任职" in body


def test_the_case_panel_shows_the_decision_and_recusals(
    awaiting: Any, meeting: Any, bureau_admin: Any, rf: Any
) -> None:
    from django.template.loader import render_to_string

    recusal_record(
        meeting=meeting,
        attendee=attendee(meeting, "李会计师"),
        application=awaiting,
        reason="亲属任职",
        by=bureau_admin,
    )
    request = rf.get("/")
    request.user = bureau_admin
    html = render_to_string("decisions/_case_panel.html", {"application": awaiting, "request": request})
    assert "尚未记录集体研究决定" in html and "亲属任职" in html and "记录决定" in html
