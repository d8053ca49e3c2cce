"""Writes for certificates: numbering, issuing (with the `certify` step), letters, suspension and revocation.

Numbers: the series row of the round is locked (select_for_update) while the next value is taken,
and (series, sequence) and number are unique, so concurrent issues queue and never share a number.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import uri_to_iri
from django.utils.translation import gettext as _

from zhongchuang.applications.models import Application, Round
from zhongchuang.applications.services import ApplicationError
from zhongchuang.audit.models import Action
from zhongchuang.audit.services import audit_record
from zhongchuang.certificates.models import (
    DEFAULT_PATTERN,
    Certificate,
    CertificateSeries,
    IssuedDocument,
    StatusChange,
)
from zhongchuang.certificates.pdf import html_to_pdf, qr_data_uri, verification_url
from zhongchuang.certificates.selectors import rejection_of
from zhongchuang.decisions.selectors import certified_type, decision_of, type_label
from zhongchuang.notifications.services import notify, operator_users
from zhongchuang.workflow.services import transition


class CertificateError(ApplicationError):
    """A certificate write that cannot be done; `field` names the form field."""


# --- numbering -------------------------------------------------------------------------------------


def format_number(pattern: str, *, year: int, seq: int) -> str:
    try:
        return pattern.format(year=year, seq=seq)
    except (KeyError, IndexError, ValueError) as error:
        raise CertificateError(
            _("编号格式只能使用 {year} 和 {seq}（如 {seq:03d}）：%(error)s") % {"error": error},
            field="pattern",
        ) from error


def series_for(round_: Round) -> CertificateSeries:
    """The round's series, created with the default pattern on first use (safe when two create it at once)."""
    series, _created = CertificateSeries.objects.get_or_create(
        round=round_, defaults={"pattern": DEFAULT_PATTERN}
    )
    return series


@transaction.atomic
def series_update(*, round: Round, pattern: str, next_value: int, by: Any) -> CertificateSeries:
    series = CertificateSeries.objects.select_for_update().get(pk=series_for(round).pk)
    format_number(pattern, year=2025, seq=1)
    if "{seq" not in pattern:
        raise CertificateError(_("编号格式须包含流水号 {seq}"), field="pattern")
    if "/" in pattern:  # the number is part of the public verification URL
        raise CertificateError(_("编号格式不能包含“/”"), field="pattern")
    used = series.certificates.aggregate(last=Max("sequence"))["last"] or 0
    if next_value <= used:
        raise CertificateError(
            _("流水号 %(used)s 已经使用，下一个流水号须大于它") % {"used": used}, field="next_value"
        )
    before = {"pattern": series.pattern, "next_value": series.next_value}
    series.pattern, series.next_value = pattern, next_value
    series.save()
    audit_record(
        action=Action.ROUND_UPDATED,
        actor=by,
        table="certificate_series",
        row_id=series.pk,
        summary=_("修改证书编号规则：%(pattern)s") % {"pattern": pattern},
        before=before,
        after={"pattern": pattern, "next_value": next_value},
    )
    return series


def _allocate(series: CertificateSeries, year: int) -> tuple[CertificateSeries, int, str]:
    """Take the next number; the caller's transaction holds the series row until it commits."""
    locked = CertificateSeries.objects.select_for_update().get(pk=series.pk)
    sequence = locked.next_value
    number = format_number(locked.pattern, year=year, seq=sequence)
    locked.next_value = sequence + 1
    locked.save(update_fields=["next_value"])
    return locked, sequence, number


# --- issuing ---------------------------------------------------------------------------------------


def certificate_issue(
    *, application: Application, by: Any, now: datetime | None = None, with_documents: bool = True
) -> Certificate:
    """Certify: take the `certify` step (its guards apply) and create the numbered certificate, in one
    transaction; then print the certificate and the decision letter (认定文件)."""
    moment = now or timezone.now()
    series = series_for(application.round)
    with transaction.atomic():
        series, sequence, number = _allocate(series, timezone.localdate(moment).year)
        # the step locks the application and checks state, role, scope and the notice guards;
        # a refusal rolls the number back with everything else
        transition(
            application,
            "certify",
            by=by,
            comment=_("证书编号：%(number)s") % {"number": number},
            now=moment,
            details={"certificate_number": number},
        )
        application = Application.objects.select_related("space__organisation", "round__bureau").get(
            pk=application.pk
        )
        certificate = Certificate.objects.create(
            number=number,
            series=series,
            sequence=sequence,
            application=application,
            space=application.space,
            organisation=application.space.organisation,
            bureau=application.round.bureau,
            space_name=str(application.space),
            operator_name=application.space.organisation.name,
            type=certified_type(application),
            issued_on=timezone.localdate(moment),
            issued_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_record(
            action=Action.CERTIFICATE_ISSUED,
            actor=by,
            organisation=certificate.organisation,
            space=certificate.space,
            application=application,
            table="certificate",
            row_id=certificate.pk,
            summary=_("颁发认定证书 %(number)s") % {"number": number},
            after=_certificate_record(certificate),
        )
    if with_documents:
        certificate_documents_issue(certificate=certificate, by=by, now=moment)
    return certificate


def _certificate_record(certificate: Certificate) -> dict[str, Any]:
    return {
        "number": certificate.number,
        "space_name": certificate.space_name,
        "operator_name": certificate.operator_name,
        "type": certificate.type,
        "issued_on": certificate.issued_on.isoformat(),
        "status": certificate.status,
    }


def _store(
    *,
    application: Application,
    certificate: Certificate | None,
    kind: str,
    pdf: bytes,
    by: Any,
    now: datetime,
) -> IssuedDocument:
    digest = hashlib.sha256(pdf).hexdigest()
    document = IssuedDocument.objects.create(
        application=application,
        certificate=certificate,
        kind=kind,
        file=ContentFile(pdf, name=f"{kind}-{application.pk}-{digest[:12]}.pdf"),
        sha256=digest,
        size=len(pdf),
        issued_by=by if getattr(by, "is_authenticated", False) else None,
        issued_at=now,
    )
    audit_record(
        action=Action.DOCUMENT_ISSUED,
        actor=by,
        organisation=application.space.organisation,
        space=application.space,
        application=application,
        table="issued_document",
        row_id=document.pk,
        summary=_("生成%(kind)s") % {"kind": document.get_kind_display()},
        after={"kind": kind, "sha256": digest, "size": len(pdf)},
    )
    return document


def _letter_context(certificate: Certificate) -> dict[str, Any]:
    url = verification_url(certificate.number)
    application = certificate.application
    return {
        "certificate": certificate,
        "application": application,
        "round": application.round,
        "decision": decision_of(application),
        "type_label": type_label(certificate.type),
        "verify_url": url,
        "verify_url_text": uri_to_iri(url),  # printed readable; the QR code carries the ASCII form
        "qr": qr_data_uri(url),
    }


@transaction.atomic
def certificate_documents_issue(
    *, certificate: Certificate, by: Any, now: datetime | None = None
) -> list[IssuedDocument]:
    """Print the certificate and the decision letter, keep them as issued (with their hashes)."""
    moment = now or timezone.now()
    context = _letter_context(certificate)
    issued = []
    for kind, template in (
        (IssuedDocument.Kind.CERTIFICATE, "certificates/certificate_pdf.html"),
        (IssuedDocument.Kind.DECISION_LETTER, "certificates/decision_letter_pdf.html"),
    ):
        if IssuedDocument.objects.filter(application=certificate.application, kind=kind).exists():
            continue
        pdf = html_to_pdf(template, context)
        issued.append(
            _store(
                application=certificate.application,
                certificate=certificate,
                kind=kind,
                pdf=pdf,
                by=by,
                now=moment,
            )
        )
    return issued


@transaction.atomic
def rejection_letter_issue(
    *, application: Application, by: Any, now: datetime | None = None
) -> IssuedDocument:
    """The rejection letter (不予认定告知书), printed once and then served as issued."""
    existing = IssuedDocument.objects.filter(
        application=application, kind=IssuedDocument.Kind.REJECTION_LETTER
    ).first()
    if existing is not None:
        return existing
    rejection = rejection_of(application)
    if rejection is None:
        raise CertificateError(_("该申报未被作出不予认定或不予受理的决定"))
    moment = now or timezone.now()
    pdf = html_to_pdf(
        "certificates/rejection_letter_pdf.html",
        {
            "application": application,
            "round": application.round,
            "rejection": rejection,
            "issued_on": timezone.localdate(moment),
        },
    )
    return _store(
        application=application,
        certificate=None,
        kind=IssuedDocument.Kind.REJECTION_LETTER,
        pdf=pdf,
        by=by,
        now=moment,
    )


# --- suspension, reinstatement, revocation ---------------------------------------------------------

S = Certificate.Status
CHANGES: dict[str, tuple[tuple[str, ...], str, Action]] = {
    # action: (from statuses, to status, audit action)
    "suspend": ((S.VALID,), S.SUSPENDED, Action.CERTIFICATE_SUSPENDED),
    "reinstate": ((S.SUSPENDED,), S.VALID, Action.CERTIFICATE_REINSTATED),
    "revoke": ((S.VALID, S.SUSPENDED), S.REVOKED, Action.CERTIFICATE_REVOKED),
}


@transaction.atomic
def certificate_status_change(
    *, certificate: Certificate, action: str, reason: str, by: Any, now: datetime | None = None
) -> StatusChange:
    """Suspend, reinstate or revoke, with a reason; shown on the public page and told to the operator."""
    if action not in CHANGES:
        raise CertificateError(_("未知的操作"), field="action")
    sources, target, audit_action = CHANGES[action]
    locked = (
        Certificate.objects.select_for_update().select_related("organisation", "space").get(pk=certificate.pk)
    )
    if locked.status not in sources:
        raise CertificateError(
            _("证书当前状态为“%(status)s”，不能执行该操作") % {"status": locked.get_status_display()},
            field="action",
        )
    if not reason.strip():
        raise CertificateError(_("请填写理由"), field="reason")
    moment = now or timezone.now()
    change = StatusChange.objects.create(
        certificate=locked,
        from_status=locked.status,
        to_status=target,
        reason=reason.strip(),
        by=by,
        at=moment,
    )
    before = _certificate_record(locked)
    locked.status, locked.status_changed_on = target, timezone.localdate(moment)
    locked.save(update_fields=["status", "status_changed_on"])
    certificate.status, certificate.status_changed_on = locked.status, locked.status_changed_on
    label = locked.get_status_display()
    audit_record(
        action=audit_action,
        actor=by,
        organisation=locked.organisation,
        space=locked.space,
        application=locked.application,
        table="certificate",
        row_id=locked.pk,
        summary=_("证书 %(number)s 状态变为“%(status)s”：%(reason)s")
        % {"number": locked.number, "status": label, "reason": change.reason},
        before=before,
        after={**_certificate_record(locked), "reason": change.reason},
    )
    notify(
        operator_users(locked.application),
        subject=_("【认定证书】%(number)s 状态变为“%(status)s”") % {"number": locked.number, "status": label},
        body=_("您的众创空间“%(space)s”的认定证书 %(number)s 状态已变为“%(status)s”。\n理由：%(reason)s")
        % {"space": locked.space_name, "number": locked.number, "status": label, "reason": change.reason},
        url=reverse("certificates:verify", args=[locked.number]),
        application=locked.application,
    )
    return change
