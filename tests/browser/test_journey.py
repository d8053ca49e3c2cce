"""Journey a: a new operator registers, confirms the e-mail, fills a space, watches the self-check move
from 不符合 to 符合, uploads evidence, and submits an application that shows version 1.

The bulk of the space's rows is loaded through the services in the test process (to keep the test
fast); the activity that makes the activity criterion pass, and its photo, are typed and uploaded in
the browser.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from zhongchuang.identifiers import make_uscc

from .helpers import (
    ACTIVITY_CRITERION,
    PASSWORD,
    POLICY,
    field,
    load_space_data,
    log_in,
    one_activity_short,
    open_round,
    pdf_file,
    url_missing,
)

MISSING = [
    name
    for name, args in (
        ("accounts:register", ()),
        ("spaces:profile", (1,)),
        ("spaces:table", (1, "activities")),
        ("spaces:row_detail", (1, "activities", 1)),
        ("checks:policy", (1, POLICY)),
        ("applications:application_list", ()),
    )
    if url_missing(name, *args)
]


def criterion_heading(page: Any) -> Any:
    return page.locator(f"#criterion-{ACTIVITY_CRITERION} h2")


@pytest.mark.xfail(bool(MISSING), reason=f"pages not built yet: {MISSING}", strict=False)
def test_a_new_operator_goes_from_registration_to_a_submitted_application(page: Any, shot: Any) -> None:
    from zhongchuang.applications.models import Application, ApplicationVersion
    from zhongchuang.bridge.services import space_evaluation
    from zhongchuang.spaces.models import ROW_MODELS, Space

    # 1. Registration with the organisation, its 统一社会信用代码 and a contact.
    page.goto("/accounts/register/")
    shot(page, "register-empty")
    field(page, "运营机构名称").fill("厦门浏览器测试科技有限公司")
    field(page, "统一社会信用代码").fill(make_uscc("91350200MA2YB0001"))
    field(page, "联系人").fill("王五")
    field(page, "联系电话").fill("13912345678")
    field(page, "联系邮箱").fill("founder@example.com")
    field(page, "用户名").fill("founder")
    field(page, "密码").fill(PASSWORD)
    field(page, "确认密码").fill(PASSWORD)
    shot(page, "register-filled")
    page.locator("main").get_by_role("button", name="注册", exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/register/sent/"))
    shot(page, "register-sent")

    # 2. The confirmation e-mail (locmem backend in tests) carries the link.
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    link = re.search(r"https?://\S+/accounts/confirm/\S+", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    page.goto(link.group(0))
    shot(page, "confirmed")
    log_in(page, "founder")

    # 3. A space, created in the browser.
    page.goto("/spaces/")
    field(page, "众创空间名称").fill("鹭岛浏览器众创空间")
    page.locator("main").get_by_role("button", name="新建众创空间").click()
    page.wait_for_load_state()
    space = Space.objects.get(organisation__name="厦门浏览器测试科技有限公司")
    shot(page, "space-created")

    # 4. The bulk through the services: the passing example with one counted activity too few
    #    (a site with leases, staff, 20 incubatees, mentors, activities, a fund, cases, evidence).
    user = get_user_model().objects.get(username="founder")
    load_space_data(space, one_activity_short(), by=user)
    space.refresh_from_db()
    assert space_evaluation(space, POLICY).result is not None

    # 5. The profile, edited in the browser (a field the self-check does not depend on).
    page.goto(f"/spaces/{space.pk}/profile/")
    shot(page, "profile")
    contact = page.get_by_label(re.compile(r"^联系电话|联系人电话"))
    if contact.count():
        contact.first.fill("0592-5556666")
    page.locator("main").get_by_role("button", name=re.compile("保存")).first.click()
    page.wait_for_load_state()
    shot(page, "profile-saved")
    assert not page.locator(".error-summary").count(), page.locator(".error-summary").inner_text()

    # 6. The self-check says 不符合 for the activity criterion.
    page.goto(f"/checks/{space.pk}/{POLICY}/")
    shot(page, "selfcheck-before")
    assert "不符合" in criterion_heading(page).inner_text()

    # 7. One more activity, typed in the activities table (the htmx form opens in the table).
    page.goto(f"/spaces/{space.pk}/tables/activities/")
    shot(page, "activities-table")
    page.locator("main").get_by_role("link", name="新增一行").click()
    form = page.locator("#form-new")
    form.wait_for()
    form.get_by_label(re.compile(r"^\s*活动名称")).fill("鹭岛创业沙龙（浏览器录入）")
    form.get_by_label(re.compile(r"^\s*类型")).select_option(label="创业沙龙")
    form.get_by_label(re.compile(r"^\s*活动日期")).fill("2025-03-01")
    form.get_by_label(re.compile(r"^\s*角色")).select_option(label="主办")
    participants = form.get_by_label(re.compile(r"^\s*参加人数"))
    if participants.count():
        participants.fill("40")
    shot(page, "activity-filled")
    form.get_by_role("button", name="保存草稿").click()
    page.locator("#rows").get_by_text("鹭岛创业沙龙（浏览器录入）").first.wait_for()
    shot(page, "activity-saved")
    row = ROW_MODELS["activities"].objects.get(space=space, title="鹭岛创业沙龙（浏览器录入）")

    # 8. Its photo, uploaded in the browser on the row's page.
    page.locator(f"#row-{row.pk}").get_by_role("link", name=row.ref, exact=True).click()
    page.wait_for_url(re.compile(rf"/tables/activities/{row.pk}/"))
    page.get_by_label("材料类别").select_option(label="照片")
    page.get_by_label("材料名称").fill("沙龙现场照片")
    page.get_by_label(re.compile(r"^文件")).set_input_files(pdf_file("salon photo"))
    page.locator("main").get_by_role("button", name="上传", exact=True).click()
    page.get_by_text("沙龙现场照片").first.wait_for()
    shot(page, "evidence-uploaded")

    # 9. The self-check has moved: 符合 (or 待审核: it passes the automatic checks).
    page.goto(f"/checks/{space.pk}/{POLICY}/")
    shot(page, "selfcheck-after")
    heading = criterion_heading(page).inner_text()
    assert "不符合" not in heading and ("符合" in heading or "待审核" in heading), heading

    # 10. An application in an open round, submitted with the pledge: version 1.
    open_round()
    page.goto("/applications/")
    shot(page, "applications")
    page.locator("main").get_by_role("link", name="新建申报").click()
    field(page, "众创空间").select_option(index=1)
    field(page, "申报轮次").select_option(index=1)
    shot(page, "application-new")
    page.locator("main").get_by_role("button", name="创建申报").click()
    page.wait_for_url(re.compile(r"/applications/\d+/(submit/)?$"))
    shot(page, "application-draft")
    if not page.url.endswith("/submit/"):  # created: straight to 核对并提交, or via the application's page
        page.locator("main").get_by_role("link", name="核对并提交").click()
        page.wait_for_url(re.compile(r"/applications/\d+/submit/$"))
    page.get_by_label(re.compile("申报单位承诺")).check()
    shot(page, "application-pledge")
    page.locator("main").get_by_role("button", name="提交申报").click()
    page.wait_for_url(re.compile(r"/applications/\d+/(versions/\d+/)?$"))
    shot(page, "application-submitted")
    application = Application.objects.get(space=space)
    assert application.status == "submitted"
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert re.search(r"第\s*1\s*版", page.locator("main h1").inner_text() + page.locator("main").inner_text())
    page.goto(f"/applications/{application.pk}/")
    shot(page, "application-page")
    assert page.locator("main").get_by_role("link", name="第1版").count() == 1, page.locator(
        "main"
    ).inner_text()
