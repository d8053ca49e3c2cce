"""Reads for certificates and letters. Public reads give only what the register publishes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from zhongchuang.applications.models import Application
from zhongchuang.applications.selectors import frozen_result
from zhongchuang.audit.models import AuditEntry
from zhongchuang.certificates.models import Certificate, IssuedDocument, StatusChange
from zhongchuang.decisions.selectors import clauses_by_id, decision_of


def certificate_by_number(number: str) -> Certificate:
    certificate = Certificate.objects.filter(number=number.strip()).select_related("bureau").first()
    if certificate is None:
        raise Http404
    return certificate


def certificate_of(application: Application) -> Certificate | None:
    return Certificate.objects.filter(application=application).first()


def status_history(certificate: Certificate) -> QuerySet[StatusChange]:
    return certificate.status_changes.select_related("by")


def register(*, year: int | None = None, kind: str = "", query: str = "") -> QuerySet[Certificate]:
    """The public register: every certificate issued, with its current status."""
    certificates = Certificate.objects.select_related("bureau").order_by("-issued_on", "number")
    if year:
        certificates = certificates.filter(issued_on__year=year)
    if kind:
        certificates = certificates.filter(type=kind)
    if query.strip():
        text = query.strip()
        certificates = certificates.filter(
            Q(number__icontains=text) | Q(space_name__icontains=text) | Q(operator_name__icontains=text)
        )
    return certificates


def register_years() -> list[int]:
    return sorted({day.year for day in Certificate.objects.values_list("issued_on", flat=True)}, reverse=True)


def register_types() -> list[str]:
    return sorted(set(Certificate.objects.values_list("type", flat=True)))


def documents_of(application: Application) -> dict[str, IssuedDocument]:
    return {document.kind: document for document in IssuedDocument.objects.filter(application=application)}


# --- the rejection letter --------------------------------------------------------------------------


@dataclass(frozen=True)
class FailedCheck:
    id: str
    label: str
    clause: str
    explanation: str
    threshold: str


@dataclass(frozen=True)
class FailedClause:
    """A clause the application did not meet: quoted, and explained with the figures where the engine has them."""

    id: str
    title: str
    clause: str
    cite: str
    explanation: str = ""
    checks: list[FailedCheck] = field(default_factory=list)
    cited_by_meeting: bool = False


@dataclass(frozen=True)
class Rejection:
    step: str
    step_label: str
    reason: str
    at: datetime
    by: Any
    clauses: list[FailedClause]


def _rejecting_entry(application: Application) -> AuditEntry | None:
    entries = (
        AuditEntry.objects.filter(application=application).select_related("actor").order_by("-at", "-id")
    )
    for entry in entries:
        after = entry.after or {}
        if after.get("status") == Application.Status.REJECTED and after.get("step"):
            return entry
    return None


def failed_clauses(application: Application) -> list[FailedClause]:
    """The meeting's cited clauses first, then every criterion the frozen evaluation failed (with figures)."""
    decision = decision_of(application)
    version = application.versions.order_by("-number").first()
    result = frozen_result(version) if version is not None else None
    policy_id = version.policy_id if version is not None else application.round.policy_id
    clauses: dict[str, FailedClause] = {}
    known = clauses_by_id(policy_id)
    engine = {criterion.id: criterion for criterion in result.criteria} if result else {}
    engine_checks = {check.id: check for criterion in engine.values() for check in criterion.checks}
    for clause_id in decision.cited_clauses if decision and not decision.approves else []:
        clause = known.get(clause_id)
        if clause is None:
            continue
        explanation = ""
        if clause_id in engine:
            explanation = engine[clause_id].explanation_zh
        elif clause_id in engine_checks:
            explanation = engine_checks[clause_id].explanation_zh
        clauses[clause_id] = FailedClause(
            clause.id, clause.title, clause.text, clause.cite, explanation, cited_by_meeting=True
        )
    for criterion in result.criteria if result else []:
        if criterion.status != "fail" or criterion.id in clauses:
            continue
        checks = [
            FailedCheck(
                check.id,
                check.label_zh,
                check.clause,
                check.explanation_zh,
                check.threshold.value if check.threshold else "",
            )
            for check in criterion.checks
            if check.status == "fail" and check.id not in clauses
        ]
        clauses[criterion.id] = FailedClause(
            criterion.id,
            criterion.title_zh,
            criterion.clause,
            criterion.cite,
            criterion.explanation_zh,
            checks,
        )
    return list(clauses.values())


def rejection_of(application: Application) -> Rejection | None:
    """Why the application was rejected, whichever step rejected it (read from that step's audit entry)."""
    if application.status != Application.Status.REJECTED:
        return None
    from zhongchuang.workflow.definition import certification_workflow

    entry = _rejecting_entry(application)
    if entry is None:
        return None
    after = entry.after or {}
    step = certification_workflow().steps.get(after["step"])
    return Rejection(
        step=after["step"],
        step_label=step.label if step else after["step"],
        reason=str(after.get("comment", "")),
        at=entry.at,
        by=entry.actor,
        clauses=failed_clauses(application),
    )
