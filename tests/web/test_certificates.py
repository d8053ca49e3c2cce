"""Certificates: numbering (also under concurrency), the certificate and letters with their QR code, the
public verification page and register, suspension and revocation, and the rejection letter."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import segno
from django.urls import reverse
from django.utils.encoding import uri_to_iri
from pypdf import PdfReader

from zhongchuang.accounts.models import Bureau, Role
from zhongchuang.applications.models import Application
from zhongchuang.applications.services import round_open
from zhongchuang.audit.models import Action, AuditEntry
from zhongchuang.certificates.models import Certificate, CertificateSeries, IssuedDocument
from zhongchuang.certificates.pdf import QR_BORDER, QR_SCALE, verification_url
from zhongchuang.certificates.services import (
    CertificateError,
    certificate_issue,
    certificate_status_change,
    series_update,
)
from zhongchuang.decisions.services import decision_record, decision_take_step, meeting_create
from zhongchuang.notifications.models import Message
from zhongchuang.spaces.services import space_create
from zhongchuang.workflow.guards import GUARDS
from zhongchuang.workflow.services import TransitionRefused, transition

from .conftest import logged_in, make_bureau_user, put_in_state, submit_example

SHANGHAI = ZoneInfo("Asia/Shanghai")
ISSUED = datetime(2025, 5, 20, 10, 0, tzinfo=SHANGHAI)
POPPLER = shutil.which("pdftotext") is not None
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))


@pytest.fixture(autouse=True)
def notice_closed(monkeypatch: Any) -> None:
    """The notice app's guards are tested there; here the window is closed and no objection is pending."""
    monkeypatch.setitem(GUARDS, "notice_window_closed", lambda application, now: None)
    monkeypatch.setitem(GUARDS, "objections_resolved", lambda application, now: None)


def in_notice(application: Any) -> Any:
    return put_in_state(application, "public_notice")


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())


@pytest.fixture
def certified(submitted_application: Any, bureau_admin: Any) -> Certificate:
    return certificate_issue(application=in_notice(submitted_application), by=bureau_admin, now=ISSUED)


def bare_applications(round_: Any, user: Any, count: int) -> list[Application]:
    """Applications already in public notice (numbering tests need many, not their facts)."""
    organisation = user.membership.organisation
    return [
        Application.objects.create(
            round=round_,
            space=space_create(organisation=organisation, name=f"鹭创空间{i}号", by=user),
            status="public_notice",
        )
        for i in range(1, count + 1)
    ]


# --- numbering -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_follow_the_round_pattern_consecutively(
    xm_round: Any, operator_user: Any, bureau_admin: Any
) -> None:
    numbers = [
        certificate_issue(application=application, by=bureau_admin, now=ISSUED, with_documents=False).number
        for application in bare_applications(xm_round, operator_user, 3)
    ]
    assert numbers == ["厦科众创〔2025〕001号", "厦科众创〔2025〕002号", "厦科众创〔2025〕003号"]
    assert CertificateSeries.objects.get(round=xm_round).next_value == 4


@pytest.mark.django_db
def test_a_refused_certification_uses_no_number(
    xm_round: Any, operator_user: Any, bureau_admin: Any, monkeypatch: Any
) -> None:
    first, second = bare_applications(xm_round, operator_user, 2)
    monkeypatch.setitem(
        GUARDS,
        "notice_window_closed",
        lambda application, now: "公示期至 2025-05-16 24:00（北京时间）结束，公示期内不能认定",
    )
    with pytest.raises(TransitionRefused, match="公示期内不能认定"):
        certificate_issue(application=first, by=bureau_admin, now=ISSUED)
    put_in_state(second, "proposed")
    monkeypatch.setitem(GUARDS, "notice_window_closed", lambda application, now: None)
    with pytest.raises(TransitionRefused, match="不能执行“认定”"):
        certificate_issue(application=second, by=bureau_admin, now=ISSUED)
    assert not Certificate.objects.exists()
    assert certificate_issue(
        application=first, by=bureau_admin, now=ISSUED, with_documents=False
    ).number.endswith("001号")


@pytest.mark.django_db
def test_the_pattern_can_change_but_never_reuse_a_number(
    xm_round: Any, operator_user: Any, bureau_admin: Any
) -> None:
    first, second = bare_applications(xm_round, operator_user, 2)
    certificate_issue(application=first, by=bureau_admin, now=ISSUED, with_documents=False)
    with pytest.raises(CertificateError, match="流水号 1 已经使用"):
        series_update(round=xm_round, pattern="厦科众创〔{year}〕{seq:03d}号", next_value=1, by=bureau_admin)
    with pytest.raises(CertificateError, match="只能使用"):
        series_update(round=xm_round, pattern="厦科众创〔{yr}〕{seq}号", next_value=5, by=bureau_admin)
    series_update(round=xm_round, pattern="厦科众创〔{year}〕{seq:04d}号", next_value=10, by=bureau_admin)
    assert (
        certificate_issue(application=second, by=bureau_admin, now=ISSUED, with_documents=False).number
        == "厦科众创〔2025〕0010号"
    )


@pytest.mark.skipif(not ON_POSTGRES, reason="DATABASE_URL does not point at PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_eight_officers_certifying_at_once_get_eight_consecutive_distinct_numbers(
    xm_round: Any, operator_user: Any, bureau_admin: Any
) -> None:
    from django.db import connection

    applications = bare_applications(xm_round, operator_user, 8)
    barrier, numbers, errors = threading.Barrier(8), [], []

    def issue(application: Application) -> None:
        try:
            barrier.wait()
            numbers.append(
                certificate_issue(
                    application=application, by=bureau_admin, now=ISSUED, with_documents=False
                ).number
            )
        except Exception as error:  # reported below: a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(application,)) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"厦科众创〔2025〕{n:03d}号" for n in range(1, 9)]
    assert Application.objects.filter(status="certified").count() == 8


# --- the certificate and the decision letter -------------------------------------------------------


@pytest.mark.django_db
def test_certifying_takes_the_step_notifies_the_operator_and_audits(
    certified: Certificate, operator_user: Any
) -> None:
    application = certified.application
    application.refresh_from_db()
    assert application.status == "certified"
    assert certified.type == "comprehensive" and certified.space_name == str(application.space)
    assert certified.issued_on == date(2025, 5, 20)
    message = Message.objects.filter(recipient=operator_user, application=application).latest("id")
    assert "已认定" in message.subject and certified.number in message.body
    assert AuditEntry.objects.filter(action=Action.CERTIFICATE_ISSUED, row_id=certified.pk).exists()
    kinds = set(
        AuditEntry.objects.filter(action=Action.DOCUMENT_ISSUED, application=application).values_list(
            "after__kind", flat=True
        )
    )
    assert kinds == {"certificate", "decision_letter"}


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
@pytest.mark.django_db
def test_the_certificate_and_letter_carry_the_number_the_space_and_a_qr_code_of_the_verification_url(
    certified: Certificate, operator_user: Any, tmp_path: Path
) -> None:
    url = verification_url(certified.number)
    assert url == "http://127.0.0.1:8000" + reverse("certificates:verify", args=[certified.number])
    expected_qr = segno.make(url, error="m", micro=False)
    client = logged_in(operator_user)
    for kind in ("certificate", "decision_letter"):
        response = client.get(reverse("certificates:document", args=[certified.application_id, kind]))
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        text = pdf_text(content, tmp_path)
        assert certified.number in text and certified.space_name in text, kind
        assert uri_to_iri(url) in text  # the URL is printed (readable) under the QR code
        images = [image for page in PdfReader(io.BytesIO(content)).pages for image in page.images]
        assert len(images) == 1, kind
        # decode without a decoder: the printed image is, module for module, the QR code of the URL
        printed = images[0].image.convert("1")
        buffer = io.BytesIO()
        expected_qr.save(buffer, kind="png", scale=QR_SCALE, border=QR_BORDER)
        from PIL import Image, ImageChops

        expected = Image.open(io.BytesIO(buffer.getvalue())).convert("1")
        assert printed.size == expected.size and ImageChops.difference(printed, expected).getbbox() is None


@pytest.mark.django_db
def test_approve_as_comprehensive_gives_a_comprehensive_certificate(
    operator_user: Any, xiamen_bureau: Any, bureau_admin: Any
) -> None:
    specialized = round_open(
        bureau=xiamen_bureau, name="2025年厦门市市级众创空间认定（专业化）", policy_id="xiamen-2025-specialized",
        notice_date=date(2025, 2, 20), deadline=date(2025, 3, 21), deadline_rule="postmark",
        reference_date=date(2025, 3, 21), by=bureau_admin,
    )  # fmt: skip
    application = put_in_state(
        submit_example(operator_user, specialized, "xiamen-specialized-fallback"), "collective_decision"
    )
    meeting = meeting_create(
        round=specialized,
        held_on=date(2025, 4, 20),
        place="301",
        chair=bureau_admin,
        staff=[],
        by=bureau_admin,
    )
    decision_record(
        meeting=meeting, application=application, outcome="approve_as_comprehensive", reasons="转综合型",
        cited_clauses=["XM25-S-4"], deciders=list(meeting.attendees.all()), by=bureau_admin,
    )  # fmt: skip
    decision_take_step(application=application, by=bureau_admin)
    certificate = certificate_issue(
        application=in_notice(application), by=bureau_admin, now=ISSUED, with_documents=False
    )
    assert certificate.type == "comprehensive"
    page = (
        logged_in(bureau_admin)
        .get(reverse("certificates:verify", args=[certificate.number]))
        .content.decode()
    )
    assert "综合型" in page


@pytest.mark.django_db
def test_the_certify_page_confirms_and_shows_what_blocks(
    submitted_application: Any, bureau_admin: Any, reviewer: Any, monkeypatch: Any
) -> None:
    application = in_notice(submitted_application)
    url = reverse("certificates:certify", args=[application.pk])
    assert logged_in(reviewer).get(url).status_code == 403
    client = logged_in(bureau_admin)
    monkeypatch.setitem(
        GUARDS, "objections_resolved", lambda application, now: "有 1 件已受理的异议尚未处理（#7）"
    )
    page = client.get(url).content.decode()
    assert "有 1 件已受理的异议尚未处理（#7）" in page and "厦科众创〔{year}〕{seq:03d}号" in page
    response = client.post(url, follow=True)
    assert "有 1 件已受理的异议尚未处理（#7）" in response.content.decode()
    assert not Certificate.objects.exists()
    monkeypatch.setitem(GUARDS, "objections_resolved", lambda application, now: None)
    response = client.post(url, follow=True)
    certificate = Certificate.objects.get()
    assert certificate.number in response.content.decode()


# --- public pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_verification_page_is_public_and_shows_nothing_private(
    certified: Certificate, client: Any
) -> None:
    response = client.get(reverse("certificates:verify", args=[certified.number]))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        certified.number,
        certified.space_name,
        certified.operator_name,
        "综合型",
        "2025-05-20",
        "证书有效",
    ):
        assert shown in page, shown
    organisation = certified.organisation
    assert organisation.contact_phone not in page and organisation.uscc not in page


@pytest.mark.django_db
def test_typing_a_number_leads_to_its_page_and_an_unknown_number_says_so(
    certified: Certificate, client: Any
) -> None:
    response = client.get(reverse("certificates:verify_form"), {"number": f"  {certified.number} "})
    assert response.status_code == 302 and response["Location"] == reverse(
        "certificates:verify", args=[certified.number]
    )
    response = client.get(reverse("certificates:verify", args=["厦科众创〔2025〕999号"]))
    assert response.status_code == 404
    assert "编号为“厦科众创〔2025〕999号”的认定证书不存在" in response.content.decode()


@pytest.mark.django_db
def test_suspension_and_revocation_need_a_reason_and_show_on_the_public_pages(
    certified: Certificate, bureau_admin: Any, operator_user: Any, client: Any
) -> None:
    with pytest.raises(CertificateError, match="请填写理由"):
        certificate_status_change(certificate=certified, action="suspend", reason=" ", by=bureau_admin)
    with pytest.raises(CertificateError, match="不能执行"):
        certificate_status_change(certificate=certified, action="reinstate", reason="x", by=bureau_admin)
    at = datetime(2025, 9, 1, 9, 0, tzinfo=SHANGHAI)
    certificate_status_change(
        certificate=certified, action="suspend", reason="年度考核不合格，限期整改", by=bureau_admin, now=at
    )
    verify = reverse("certificates:verify", args=[certified.number])
    page = client.get(verify).content.decode()
    assert "证书已暂停" in page and "自 2025-09-01" in page
    assert "暂停" in client.get(reverse("certificates:register")).content.decode()
    assert Message.objects.filter(recipient=operator_user, subject__contains="暂停").exists()
    certificate_status_change(certificate=certified, action="reinstate", reason="整改完成", by=bureau_admin)
    assert "证书有效" in client.get(verify).content.decode()
    certificate_status_change(
        certificate=certified,
        action="revoke",
        reason="提供虚假材料",
        by=bureau_admin,
        now=datetime(2025, 10, 9, 9, tzinfo=SHANGHAI),
    )
    page = client.get(verify).content.decode()
    assert "证书已撤销" in page and "自 2025-10-09" in page
    actions = list(
        AuditEntry.objects.filter(table="certificate", row_id=certified.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        Action.CERTIFICATE_ISSUED,
        Action.CERTIFICATE_SUSPENDED,
        Action.CERTIFICATE_REINSTATED,
        Action.CERTIFICATE_REVOKED,
    ]
    with pytest.raises(CertificateError):
        certificate_status_change(certificate=certified, action="reinstate", reason="x", by=bureau_admin)


@pytest.mark.django_db
def test_the_status_form_is_for_the_bureau_admin(
    certified: Certificate, reviewer: Any, bureau_admin: Any
) -> None:
    url = reverse("certificates:certificate_detail", args=[certified.pk])
    assert logged_in(reviewer).post(url, {"action": "revoke", "reason": "x"}).status_code == 404
    response = logged_in(bureau_admin).post(url, {"action": "revoke", "reason": ""})
    assert response.status_code == 200 and "错误" in response.content.decode()
    shanghai = Bureau.objects.create(name="上海市科学技术委员会", city="上海市")
    assert logged_in(make_bureau_user(shanghai, "sh_admin", Role.BUREAU_ADMIN)).get(url).status_code == 404
    assert (
        logged_in(bureau_admin).post(url, {"action": "revoke", "reason": "提供虚假材料"}).status_code == 302
    )
    certified.refresh_from_db()
    assert certified.status == "revoked"


@pytest.mark.django_db
def test_the_register_filters_by_year_and_type_and_searches(
    xm_round: Any, operator_user: Any, bureau_admin: Any, client: Any
) -> None:
    first, second = bare_applications(xm_round, operator_user, 2)
    certificate_issue(application=first, by=bureau_admin, now=ISSUED, with_documents=False)
    certificate_issue(
        application=second,
        by=bureau_admin,
        now=datetime(2026, 1, 5, 10, tzinfo=SHANGHAI),
        with_documents=False,
    )
    url = reverse("certificates:register")
    page = client.get(url).content.decode()
    assert "鹭创空间1号" in page and "鹭创空间2号" in page
    page = client.get(url, {"year": "2026"}).content.decode()
    assert "鹭创空间2号" in page and "鹭创空间1号" not in page and "厦科众创〔2026〕002号" in page
    page = client.get(url, {"q": "空间1"}).content.decode()
    assert "鹭创空间1号" in page and "鹭创空间2号" not in page
    page = client.get(url, {"type": "specialized"}).content.decode()
    assert "没有符合条件的证书" in page


# --- the rejection letter --------------------------------------------------------------------------


@pytest.fixture
def rejected_after_decision(operator_user: Any, xm_round: Any, bureau_admin: Any) -> Application:
    application = put_in_state(
        submit_example(operator_user, xm_round, "xiamen-fails-lease-and-area"), "collective_decision"
    )
    meeting = meeting_create(
        round=xm_round, held_on=date(2025, 4, 20), place="301", chair=bureau_admin, staff=[], by=bureau_admin
    )
    decision_record(
        meeting=meeting, application=application, outcome="reject", reasons="剩余租期不足24个月，工位与公共服务面积比例不足",
        cited_clauses=["XM25-C-3f"], deciders=list(meeting.attendees.all()), by=bureau_admin,
    )  # fmt: skip
    decision_take_step(application=application, by=bureau_admin)
    return application


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
@pytest.mark.django_db
def test_the_rejection_letter_quotes_the_failed_clauses_with_the_figures(
    rejected_after_decision: Application, operator_user: Any, tmp_path: Path
) -> None:
    url = reverse("certificates:document", args=[rejected_after_decision.pk, "rejection_letter"])
    response = logged_in(operator_user).get(url)
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    for expected in (
        "不予认定告知书",
        "集体研究不通过",  # the step that rejected it
        "剩余租期不足24个月，工位与公共服务面积比例不足",  # the decision's reasons
        "且剩余租期不少于24个月",  # the cited clause, quoted from the policy
        "剩余租期22个月",  # its figures from the frozen evaluation
        "工位面积与公共服务场地面积之和不低于总面积的90%",  # a failed clause the engine found
        "1056㎡",
        "88.00%",
    ):
        assert expected in text, expected
    assert (
        AuditEntry.objects.filter(action=Action.DOCUMENT_ISSUED, application=rejected_after_decision).count()
        == 1
    )
    logged_in(operator_user).get(url)  # served as issued, not printed again
    assert IssuedDocument.objects.filter(application=rejected_after_decision).count() == 1


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
@pytest.mark.django_db
def test_a_rejection_at_formal_review_quotes_its_comment(
    submitted_application: Any, reviewer: Any, operator_user: Any, tmp_path: Path
) -> None:
    application = put_in_state(submitted_application, "formal_review")
    transition(application, "fail_formal_review", by=reviewer, comment="缺少场地租赁合同原件")
    response = logged_in(operator_user).get(
        reverse("certificates:document", args=[application.pk, "rejection_letter"])
    )
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert "形式审核不通过" in text and "缺少场地租赁合同原件" in text


@pytest.mark.django_db
def test_letters_of_another_organisation_are_404(
    rejected_after_decision: Application, other_operator_user: Any, bureau_admin: Any, certified: Certificate
) -> None:
    other = logged_in(other_operator_user)
    rejection = reverse("certificates:document", args=[rejected_after_decision.pk, "rejection_letter"])
    assert other.get(rejection).status_code == 404
    assert (
        other.get(
            reverse("certificates:document", args=[certified.application_id, "certificate"])
        ).status_code
        == 404
    )
    assert logged_in(bureau_admin).get(rejection).status_code == 200
    # no rejection letter for a certified application, no certificate for a rejected one
    assert (
        logged_in(bureau_admin)
        .get(reverse("certificates:document", args=[certified.application_id, "rejection_letter"]))
        .status_code
        == 404
    )
    assert (
        logged_in(bureau_admin)
        .get(reverse("certificates:document", args=[rejected_after_decision.pk, "certificate"]))
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_the_panels_offer_the_letters(
    rejected_after_decision: Application,
    certified: Certificate,
    operator_user: Any,
    bureau_admin: Any,
    rf: Any,
) -> None:
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = operator_user
    html = render_to_string(
        "certificates/_operator_panel.html", {"application": certified.application, "request": request}
    )
    assert certified.number in html and "认定文件" in html
    html = render_to_string(
        "certificates/_operator_panel.html", {"application": rejected_after_decision, "request": request}
    )
    assert "不予认定告知书" in html and "剩余租期不足24个月" in html
    request.user = bureau_admin
    html = render_to_string(
        "certificates/_case_panel.html", {"application": certified.application, "request": request}
    )
    assert certified.number in html
