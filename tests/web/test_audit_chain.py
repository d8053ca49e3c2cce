"""The audit log is append-only and hash-chained: `zc audit-verify` finds the first broken link."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from zhongchuang.audit.chain import verify_chain
from zhongchuang.audit.models import Action, AppendOnly, AuditEntry
from zhongchuang.audit.services import audit_record
from zhongchuang.cli import main

ON_POSTGRES = connection.vendor == "postgresql" or os.environ.get("DATABASE_URL", "").startswith("postgres")


def record_three(actor: Any) -> list[AuditEntry]:
    return [
        audit_record(
            action=Action.ROUND_UPDATED,
            actor=actor,
            table="round",
            row_id=1,
            summary=f"第{n}次",
            before={"n": n},
            after={"n": n + 1, "名称": ("元组", 1.5)},
        )
        for n in range(3)
    ]


def raw_sql(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_an_untouched_log_verifies_and_the_command_says_so(operator_user: Any, capsys: Any) -> None:
    record_three(operator_user)
    report = verify_chain()
    assert report.intact and report.checked == AuditEntry.objects.count()
    assert main(["audit-verify"]) == 0
    assert "审计日志完整" in capsys.readouterr().out


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted_through_the_application(operator_user: Any) -> None:
    entry = record_three(operator_user)[1]
    entry.summary = "改过"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()


@pytest.mark.django_db
@pytest.mark.skipif(ON_POSTGRES, reason="PostgreSQL refuses the edit itself (next test)")
def test_an_entry_edited_behind_the_applications_back_is_the_first_broken_link(
    operator_user: Any, capsys: Any
) -> None:
    _, second, _ = record_three(operator_user)
    raw_sql("UPDATE audit_auditentry SET summary = %s WHERE id = %s", ["改过", second.pk])
    report = verify_chain()
    assert report.broken_at == second.pk and "被修改" in report.reason
    assert main(["audit-verify"]) == 1
    assert f"#{second.pk}" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.skipif(ON_POSTGRES, reason="PostgreSQL refuses the deletion itself (next test)")
def test_a_deleted_entry_breaks_the_link_of_the_next_and_a_deleted_last_entry_the_tail(
    operator_user: Any,
) -> None:
    first, second, third = record_three(operator_user)
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [third.pk])
    report = verify_chain()
    assert not report.intact and report.broken_at is None and "链尾" in report.reason
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [first.pk])
    assert verify_chain().broken_at == second.pk


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRES, reason="the append-only trigger is PostgreSQL's")
def test_postgresql_refuses_any_update_or_delete_of_the_log(operator_user: Any) -> None:
    entry = record_three(operator_user)[0]
    for sql in (
        "UPDATE audit_auditentry SET summary = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw_sql(sql, [entry.pk])
    assert verify_chain().intact


@pytest.mark.django_db
def test_deleting_a_user_keeps_their_entries_and_the_chain(operator_user: Any) -> None:
    record_three(operator_user)
    user_id = operator_user.pk
    operator_user.membership.delete()
    operator_user.delete()
    assert AuditEntry.objects.filter(actor_id=user_id).count() >= 3
    assert verify_chain().intact
