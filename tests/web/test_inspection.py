"""Site inspection: assignment with declarations, the checklist, findings with photos, the signed report."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from zhongchuang.accounts.models import Bureau, Role
from zhongchuang.audit.models import Action, AuditEntry
from zhongchuang.engine.policy import load_policy
from zhongchuang.facts import parse_facts
from zhongchuang.inspection.checklist import checklist_for
from zhongchuang.inspection.models import Assignment, Inspection, Item
from zhongchuang.inspection.services import (
    InspectionError,
    finding_record,
    inspection_assign,
    inspection_declare,
    inspection_sign,
    photo_add,
)
from zhongchuang.workflow.services import TransitionRefused, transition

from .conftest import ROOT, SHANGHAI_TZ, logged_in, make_bureau_user, put_in_state, submit_example

PLANNED = date(2025, 4, 15)
NOW = datetime(2025, 4, 15, 10, 0, tzinfo=SHANGHAI_TZ)


def example_facts(name: str) -> dict[str, Any]:
    """The facts JSON as an ApplicationVersion freezes it."""
    raw = json.loads((ROOT / "examples" / f"{name}.json").read_text(encoding="utf-8"))
    return parse_facts(raw).model_dump(mode="json")


def jpeg_bytes(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


# --- the checklist (pure) -------------------------------------------------------------------------


def test_comprehensive_checklist_has_every_site_area_signage_sample_and_judgement() -> None:
    policy = load_policy("xiamen-2025-comprehensive")
    items = checklist_for(policy, example_facts("xiamen-comprehensive-pass"), seed=7)
    by_key = {item.key: item for item in items}
    # each site: total, workstation and public-service area, with the declared figure to measure
    assert by_key["site:site-4F:total_area_m2"].declared == Decimal("720.00")
    assert by_key["site:site-5F:total_area_m2"].declared == Decimal("480.00")
    assert by_key["site:site-4F:public_service_area_m2"].declared == Decimal("220.00")
    assert by_key["site:site-4F:total_area_m2"].unit == "㎡"
    assert "signage:space" in by_key and "signage:site-5F" in by_key
    assert any(item.section == "facilities" and "会议室" in item.label for item in items)
    sample = [item for item in items if item.section == "incubatees"]
    assert len(sample) == 5  # 20 incubatees on the roll, 5 drawn
    assert sample == [
        i
        for i in checklist_for(policy, example_facts("xiamen-comprehensive-pass"), seed=7)
        if i.section == "incubatees"
    ]
    # every J and M check, nothing automatic
    judged = {item.ref for item in items if item.section == "judgement"}
    expected = {c.id for crit in policy.criteria for c in crit.checks if c.kind in ("J", "M")}
    assert judged == expected
    assert "XM25-C-2a" in judged and "XM25-C-3b" in judged and "XM25-C-3c" not in judged
    # originals of every evidence kind the policy names; either-or groups as one item
    assert by_key["original:title_deed|lease_contract"].label == "核对原件：产权证 或 租赁合同"
    assert "original:floor_plan" in by_key
    # no research-equipment section: the comprehensive type does not count equipment
    assert not [item for item in items if item.section == "equipment"]


def test_specialized_checklist_adds_research_equipment_and_its_own_checks() -> None:
    policy = load_policy("xiamen-2025-specialized")
    items = checklist_for(policy, example_facts("xiamen-specialized-pass"), seed=1)
    equipment = [item.ref for item in items if item.section == "equipment"]
    assert equipment == ["E05", "E06", "E07", "E08", "E09"]
    assert {item.ref for item in items if item.section == "judgement"} >= {
        "XM25-S-4c",
        "XM25-S-8a",
        "XM25-S-8d",
    }
    assert [item.declared for item in items if item.section == "sites"] == [
        Decimal("860.00"),
        Decimal("560.00"),
        Decimal("240.00"),
    ]
    assert "original:service_log" in {item.key for item in items}


def test_short_roll_is_sampled_whole() -> None:
    facts = example_facts("xiamen-specialized-pass")
    facts["incubatees"] = facts["incubatees"][:3]
    items = checklist_for(load_policy("xiamen-2025-specialized"), facts)
    assert [item.ref for item in items if item.section == "incubatees"] == ["I01", "I02", "I03"]


# --- web fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def in_inspection(submitted_application: Any) -> Any:
    return put_in_state(submitted_application, "site_inspection")


@pytest.fixture
def assigned(in_inspection: Any, bureau_admin: Any, inspector: Any) -> Inspection:
    return inspection_assign(
        application=in_inspection, inspectors=[inspector], planned_on=PLANNED, by=bureau_admin, now=NOW
    )


@pytest.fixture
def declared(assigned: Inspection, inspector: Any) -> Inspection:
    inspection_declare(
        assignment=assigned.assignments.get(inspector=inspector), no_conflict=True, by=inspector, now=NOW
    )
    return assigned


def complete_all(inspection: Inspection, by: Any) -> None:
    for item in inspection.items.all():
        finding_record(item=item, result="conforms", by=by, now=NOW)


# --- assignment and declaration ------------------------------------------------------------------


def test_admin_assigns_an_inspector_who_is_notified_and_the_checklist_is_stored(
    in_inspection: Any, bureau_admin: Any, inspector: Any
) -> None:
    from zhongchuang.notifications.models import Message

    client = logged_in(bureau_admin)
    response = client.post(
        reverse("inspection:assign", args=[in_inspection.pk]),
        {"inspectors": [inspector.pk], "planned_on": "2025-04-15"},
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get(application=in_inspection)
    assert inspection.planned_on == PLANNED and inspection.version_number == 1
    assert inspection.items.filter(key="site:site-4F:total_area_m2", declared=Decimal("720.00")).exists()
    assert Message.objects.filter(recipient=inspector, subject__contains="现场核查任务").exists()
    assert (
        AuditEntry.objects.filter(action=Action.INSPECTION_ASSIGNED, application=in_inspection).count() == 1
    )


def test_assignment_form_keeps_input_and_shows_error_without_inspectors(
    in_inspection: Any, bureau_admin: Any
) -> None:
    response = logged_in(bureau_admin).post(
        reverse("inspection:assign", args=[in_inspection.pk]), {"planned_on": "2025-04-16"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "请至少选择一名核查人员" in text and 'value="2025-04-16"' in text


def test_assignment_refused_outside_site_inspection(
    submitted_application: Any, bureau_admin: Any, inspector: Any
) -> None:
    with pytest.raises(InspectionError, match="现场核查中"):
        inspection_assign(
            application=submitted_application, inspectors=[inspector], planned_on=PLANNED, by=bureau_admin
        )


def test_inspector_without_declaration_sees_nothing_and_cannot_post_findings(
    assigned: Inspection, inspector: Any
) -> None:
    client = logged_in(inspector)
    application_id = assigned.application_id
    page = client.get(reverse("inspection:inspection", args=[application_id])).content.decode()
    assert "本人与被核查单位不存在利害关系" in page
    assert 'id="checklist-title"' not in page and "720.00" not in page
    assert "完成现场核查" not in page
    item = assigned.items.first()
    assert client.get(reverse("inspection:item", args=[application_id, item.pk])).status_code == 404
    response = client.post(reverse("inspection:item", args=[application_id, item.pk]), {"result": "conforms"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.result == ""
    with pytest.raises(InspectionError):
        finding_record(item=item, result="conforms", by=inspector)


def test_declaring_no_conflict_opens_the_checklist_with_a_timestamp(
    assigned: Inspection, inspector: Any
) -> None:
    client = logged_in(inspector)
    url = reverse("inspection:declare", args=[assigned.application_id])
    response = client.post(url, {"no_conflict": "on"})
    assert response.status_code == 302
    assignment = assigned.assignments.get(inspector=inspector)
    assert assignment.status == "declared" and assignment.declared_at is not None
    assert assignment.declaration_text.startswith("本人与被核查单位不存在利害关系")
    page = client.get(reverse("inspection:inspection", args=[assigned.application_id])).content.decode()
    assert "核查清单" in page and "720.00" in page


def test_declaration_without_tick_or_reason_is_refused_next_to_the_form(
    assigned: Inspection, inspector: Any
) -> None:
    response = logged_in(inspector).post(reverse("inspection:declare", args=[assigned.application_id]), {})
    assert response.status_code == 200
    assert "请勾选无利害关系声明，或说明存在的利害关系" in response.content.decode()
    assert assigned.assignments.get(inspector=inspector).status == "pending"


def test_declared_conflict_removes_the_inspector_and_is_audited(assigned: Inspection, inspector: Any) -> None:
    client = logged_in(inspector)
    client.post(
        reverse("inspection:declare", args=[assigned.application_id]),
        {"conflict_note": "本人配偶在该运营机构任职"},
    )
    assignment = assigned.assignments.get(inspector=inspector)
    assert assignment.status == Assignment.Status.CONFLICT
    page = client.get(reverse("inspection:inspection", args=[assigned.application_id])).content.decode()
    assert "已回避本次核查" in page and "720.00" not in page
    entry = AuditEntry.objects.filter(action=Action.INSPECTION_ASSIGNED).order_by("-id").first()
    assert entry.after["status"] == "conflict" and entry.after["conflict_note"] == "本人配偶在该运营机构任职"
    from zhongchuang.notifications.models import Message

    assert Message.objects.filter(recipient=assigned.created_by, subject__contains="申请回避").exists()


def test_other_bureaus_inspector_and_operators_get_404(
    declared: Inspection, operator_user: Any, xm_round: Any
) -> None:
    other_bureau = Bureau.objects.create(name="泉州市科学技术局", city="泉州市")
    outsider = make_bureau_user(other_bureau, "qz_inspector", Role.INSPECTOR)
    item = declared.items.first()
    urls = [
        reverse("inspection:inspection", args=[declared.application_id]),
        reverse("inspection:item", args=[declared.application_id, item.pk]),
    ]
    for user in (outsider, operator_user):
        client = logged_in(user)
        for url in urls:
            assert client.get(url).status_code == 404


def test_unassigned_inspector_of_the_same_bureau_gets_404(declared: Inspection, xiamen_bureau: Any) -> None:
    colleague = make_bureau_user(xiamen_bureau, "xm_inspector2", Role.INSPECTOR)
    assert (
        logged_in(colleague).get(reverse("inspection:inspection", args=[declared.application_id])).status_code
        == 404
    )


# --- findings -------------------------------------------------------------------------------------


def test_measured_area_difference_is_shown(declared: Inspection, inspector: Any) -> None:
    item = declared.items.get(key="site:site-4F:total_area_m2")
    client = logged_in(inspector)
    url = reverse("inspection:item", args=[declared.application_id, item.pk])
    response = client.post(url, {"result": "nonconforming", "measured": "684", "note": "实测少于申报"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "-36.00㎡（-5.0%）" in page
    overview = client.get(reverse("inspection:inspection", args=[declared.application_id])).content.decode()
    assert "实测 684.00㎡" in overview and "-36.00㎡（-5.0%）" in overview
    assert AuditEntry.objects.filter(action=Action.INSPECTION_FINDING, after__measured="684.00").exists()


def test_bad_measurement_keeps_the_input_with_a_chinese_error(declared: Inspection, inspector: Any) -> None:
    item = declared.items.get(key="site:site-4F:total_area_m2")
    url = reverse("inspection:item", args=[declared.application_id, item.pk])
    response = logged_in(inspector).post(url, {"result": "conforms", "measured": "七百", "note": "东侧未计"})
    text = response.content.decode()
    assert response.status_code == 200 and "请输入数字" in text and "东侧未计" in text


def test_photo_upload_is_sniffed_and_served_to_bureau_staff_only(
    declared: Inspection, inspector: Any, reviewer: Any, operator_user: Any
) -> None:
    item = declared.items.get(key="signage:space")
    client = logged_in(inspector)
    upload_url = reverse("inspection:photo_upload", args=[declared.application_id, item.pk])
    fake = io.BytesIO(b"%PDF-1.4 not a photo")
    fake.name = "门牌.jpg"
    response = client.post(upload_url, {"photo": fake})
    assert response.status_code == 200 and "只接受 JPEG 或 PNG 照片" in response.content.decode()
    photo_file = io.BytesIO(jpeg_bytes())
    photo_file.name = "门牌.jpg"
    assert client.post(upload_url, {"photo": photo_file}).status_code == 302
    photo = item.photos.get()
    assert photo.mime == "image/jpeg" and photo.file.name.startswith(f"inspection/{declared.pk}/")
    page = client.get(reverse("inspection:item", args=[declared.application_id, item.pk])).content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    photo_url = reverse("inspection:photo", args=[declared.application_id, photo.pk])
    assert b"".join(client.get(photo_url).streaming_content)[:3] == b"\xff\xd8\xff"
    assert logged_in(reviewer).get(photo_url).status_code == 200
    assert logged_in(operator_user).get(photo_url).status_code == 404


def test_my_tasks_lists_the_inspectors_assignments(
    assigned: Inspection, inspector: Any, reviewer: Any
) -> None:
    page = logged_in(inspector).get(reverse("inspection:my_tasks")).content.decode()
    assert "我的核查任务" in page and "2025-04-15" in page and "鹭创众创空间" in page
    assert "鹭创众创空间" not in logged_in(reviewer).get(reverse("inspection:my_tasks")).content.decode()


# --- signing, the report, the workflow ------------------------------------------------------------


def test_report_refused_until_every_item_has_a_result(declared: Inspection, inspector: Any) -> None:
    items = list(declared.items.all())
    for item in items[:-1]:
        finding_record(item=item, result="conforms", by=inspector, now=NOW)
    with pytest.raises(InspectionError, match="尚有 1 项核查结果未填写"):
        inspection_sign(inspection=declared, typed_name="xm_inspector", confirmed=True, by=inspector)
    page = (
        logged_in(inspector)
        .get(reverse("inspection:inspection", args=[declared.application_id]))
        .content.decode()
    )
    assert "尚有 1 项核查结果未填写" in page
    finding_record(item=items[-1], result="not_applicable", by=inspector, now=NOW)
    signed = inspection_sign(
        inspection=declared, typed_name="xm_inspector", confirmed=True, by=inspector, now=NOW
    )
    assert signed.signed_at == NOW and signed.report


def test_signature_must_be_the_signers_name(declared: Inspection, inspector: Any) -> None:
    complete_all(declared, inspector)
    response = logged_in(inspector).post(
        reverse("inspection:sign", args=[declared.application_id]), {"typed_name": "张三", "confirmed": "on"}
    )
    assert response.status_code == 200 and "请输入您的姓名" in response.content.decode()
    assert Inspection.objects.get(pk=declared.pk).signed_at is None


def test_every_declared_inspector_signs_and_pending_declarations_block(
    in_inspection: Any, bureau_admin: Any, inspector: Any, xiamen_bureau: Any
) -> None:
    second = make_bureau_user(xiamen_bureau, "xm_inspector2", Role.INSPECTOR)
    inspection = inspection_assign(
        application=in_inspection, inspectors=[inspector, second], planned_on=PLANNED, by=bureau_admin
    )
    inspection_declare(
        assignment=inspection.assignments.get(inspector=inspector), no_conflict=True, by=inspector
    )
    complete_all(inspection, inspector)
    with pytest.raises(InspectionError, match="未作利害关系声明：xm_inspector2"):
        inspection_sign(inspection=inspection, typed_name="xm_inspector", confirmed=True, by=inspector)
    inspection_declare(assignment=inspection.assignments.get(inspector=second), no_conflict=True, by=second)
    inspection_sign(inspection=inspection, typed_name="xm_inspector", confirmed=True, by=inspector)
    inspection.refresh_from_db()
    assert inspection.signed_at is None and not inspection.report  # the second has not signed yet
    inspection_sign(inspection=inspection, typed_name="xm_inspector2", confirmed=True, by=second)
    inspection.refresh_from_db()
    assert inspection.signed_at is not None and inspection.report


def test_findings_are_frozen_after_signing(declared: Inspection, inspector: Any) -> None:
    complete_all(declared, inspector)
    inspection_sign(inspection=declared, typed_name="xm_inspector", confirmed=True, by=inspector, now=NOW)
    item = declared.items.first()
    with pytest.raises(InspectionError, match="已签署"):
        finding_record(item=item, result="nonconforming", by=inspector)
    client = logged_in(inspector)
    url = reverse("inspection:item", args=[declared.application_id, item.pk])
    client.post(url, {"result": "nonconforming"})
    assert Item.objects.get(pk=item.pk).result == "conforms"
    assert "核查发现不可修改" in client.get(url).content.decode()
    with pytest.raises(InspectionError):
        photo_add(item=item, content=jpeg_bytes(), filename="x.jpg", by=inspector)


def test_report_pdf_has_the_chinese_text_the_measurement_and_the_photo(
    declared: Inspection, inspector: Any
) -> None:
    from pypdf import PdfReader

    complete_all(declared, inspector)
    area = declared.items.get(key="site:site-4F:total_area_m2")
    finding_record(
        item=area,
        result="nonconforming",
        measured=Decimal("684"),
        note="东侧仓库未计入",
        by=inspector,
        now=NOW,
    )
    photo_add(item=area, content=jpeg_bytes(), filename="floor.jpg", by=inspector, now=NOW)
    inspection_sign(inspection=declared, typed_name="xm_inspector", confirmed=True, by=inspector, now=NOW)
    response = logged_in(inspector).get(reverse("inspection:report", args=[declared.application_id]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "众创空间认定现场核查报告",
        "鹭创众创空间",
        "东侧仓库未计入",
        "本人与被核查单位不存在利害关系",
        "xm_inspector",
    ):
        assert expected in text
    assert "684.00" in text and "-5.0%" in text
    images = [
        obj
        for page in reader.pages
        for obj in (page["/Resources"].get("/XObject") or {}).values()
        if obj.get_object().get("/Subtype") == "/Image"
    ]
    assert images
    assert AuditEntry.objects.filter(
        action=Action.INSPECTION_SIGNED, application_id=declared.application_id
    ).exists()


def test_complete_inspection_refused_before_signing_and_allowed_after(
    declared: Inspection, inspector: Any
) -> None:
    application = declared.application
    with pytest.raises(TransitionRefused) as refused:
        transition(application, "complete_inspection", by=inspector, now=NOW)
    assert "现场核查报告尚未签署完成" in refused.value.reasons
    complete_all(declared, inspector)
    inspection_sign(inspection=declared, typed_name="xm_inspector", confirmed=True, by=inspector, now=NOW)
    transition(application, "complete_inspection", by=inspector, now=NOW)
    application.refresh_from_db()
    assert application.status == "collective_decision"


def test_complete_inspection_refused_without_any_inspection(in_inspection: Any, bureau_admin: Any) -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition(in_inspection, "complete_inspection", by=bureau_admin, now=NOW)
    assert "尚未指派现场核查人员" in refused.value.reasons


def test_specialized_application_gets_its_equipment_on_the_stored_checklist(
    operator_user: Any, xiamen_bureau: Any, bureau_admin: Any, inspector: Any
) -> None:
    from zhongchuang.applications.services import round_open

    round_ = round_open(
        bureau=xiamen_bureau,
        name="2025年厦门市市级众创空间认定（专业型）",
        policy_id="xiamen-2025-specialized",
        notice_date=date(2025, 2, 20),
        deadline=date(2025, 3, 21),
        deadline_rule="postmark",
        reference_date=date(2025, 3, 21),
        by=bureau_admin,
    )
    application = put_in_state(
        submit_example(operator_user, round_, "xiamen-specialized-pass"), "site_inspection"
    )
    inspection = inspection_assign(
        application=application, inspectors=[inspector], planned_on=PLANNED, by=bureau_admin
    )
    assert list(inspection.items.filter(section="equipment").values_list("ref", flat=True)) == [
        "E05",
        "E06",
        "E07",
        "E08",
        "E09",
    ]
    assert inspection.policy_id == "xiamen-2025-specialized"


def test_case_panel_summarises_the_inspection(declared: Inspection, bureau_admin: Any) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = bureau_admin
    html = render_to_string(
        "inspection/_case_panel.html", {"application": declared.application, "request": request}
    )
    assert "2025-04-15" in html and "xm_inspector" in html and "已声明无利害关系" in html
    assert reverse("inspection:inspection", args=[declared.application_id]) in html
