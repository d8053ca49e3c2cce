"""Certificate pages: certify (staff), letters (operator and staff), status changes, and the public
verification page and register (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import uri_to_iri
from django.utils.translation import gettext as _

from zhongchuang.accounts.models import Role
from zhongchuang.accounts.permissions import bureau_required
from zhongchuang.applications.models import Application
from zhongchuang.applications.selectors import application_for, bureau_round_for
from zhongchuang.certificates import selectors, services
from zhongchuang.certificates.forms import SeriesForm, StatusChangeForm, VerifyForm
from zhongchuang.certificates.models import Certificate, IssuedDocument
from zhongchuang.certificates.pdf import verification_url
from zhongchuang.certificates.services import CertificateError
from zhongchuang.decisions.selectors import certified_type, decision_of, type_label
from zhongchuang.workflow.services import TransitionRefused, refusals

# --- staff -----------------------------------------------------------------------------------------


@bureau_required(Role.BUREAU_ADMIN)
def certify(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_for(request.user, application_id)
    if request.method == "POST":
        try:
            certificate = services.certificate_issue(application=application, by=request.user)
        except TransitionRefused as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
        except CertificateError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已认定，证书编号：%(number)s") % {"number": certificate.number})
            return redirect("applications:application_detail", application.pk)
        return redirect("certificates:certify", application.pk)
    series = services.series_for(application.round)
    context = {
        "application": application,
        "decision": decision_of(application),
        "type_label": type_label(certified_type(application)),
        "series": series,
        "certificate": selectors.certificate_of(application),
        "reasons": refusals(application, "certify", by=request.user)
        if application.status == Application.Status.PUBLIC_NOTICE
        else [],
    }
    return render(request, "certificates/certify.html", context)


@bureau_required(Role.BUREAU_ADMIN)
def series(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = bureau_round_for(request.user, round_id)
    current = services.series_for(round_)
    form = SeriesForm(
        request.POST if request.method == "POST" else None,
        initial={"pattern": current.pattern, "next_value": current.next_value},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.series_update(round=round_, by=request.user, **form.cleaned_data)
        except CertificateError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已保存证书编号规则"))
            return redirect("certificates:series", round_.pk)
    preview = services.format_number(current.pattern, year=round_.deadline.year, seq=current.next_value)
    context = {"round": round_, "form": form, "preview": preview, "certificates": current.certificates.all()}
    return render(request, "certificates/series.html", context)


@bureau_required()
def certificate_detail(request: HttpRequest, certificate_id: int) -> HttpResponse:
    bureau_id = request.user.membership.bureau_id  # type: ignore[union-attr]
    certificate = Certificate.objects.filter(pk=certificate_id, bureau_id=bureau_id).first()
    if certificate is None:
        raise Http404
    is_admin = request.user.membership.role == Role.BUREAU_ADMIN  # type: ignore[union-attr]
    form = StatusChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not is_admin:
            raise Http404
        if form.is_valid():
            try:
                services.certificate_status_change(
                    certificate=certificate, by=request.user, **form.cleaned_data
                )
            except CertificateError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request, _("证书状态已变为“%(status)s”") % {"status": certificate.get_status_display()}
                )
                return redirect("certificates:certificate_detail", certificate.pk)
    context = {
        "certificate": certificate,
        "type_label": type_label(certificate.type),
        "history": selectors.status_history(certificate),
        "documents": selectors.documents_of(certificate.application),
        "form": form,
        "is_admin": is_admin,
        "verify_url": uri_to_iri(verification_url(certificate.number)),
    }
    return render(request, "certificates/certificate_detail.html", context)


# --- letters: the operator and the bureau ----------------------------------------------------------


@login_required
def document_download(request: HttpRequest, application_id: int, kind: str) -> HttpResponse:
    application = application_for(request.user, application_id)  # others' applications are 404
    if kind not in IssuedDocument.Kind.values:
        raise Http404
    document = selectors.documents_of(application).get(kind)
    if document is None and kind == IssuedDocument.Kind.REJECTION_LETTER:
        if selectors.rejection_of(application) is None:
            raise Http404
        # printed on first request: a rejection can come from several steps of other apps
        document = services.rejection_letter_issue(application=application, by=request.user)
    elif document is None and kind != IssuedDocument.Kind.REJECTION_LETTER:
        certificate = selectors.certificate_of(application)
        if certificate is None:
            raise Http404
        services.certificate_documents_issue(certificate=certificate, by=request.user)
        document = selectors.documents_of(application).get(kind)
    if document is None:
        raise Http404
    label = {
        IssuedDocument.Kind.CERTIFICATE: "certificate",
        IssuedDocument.Kind.DECISION_LETTER: "decision-letter",
        IssuedDocument.Kind.REJECTION_LETTER: "rejection-letter",
    }[IssuedDocument.Kind(kind)]
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{label}-{application.pk}.pdf",
        content_type="application/pdf",
    )


# --- public ----------------------------------------------------------------------------------------


def verify(request: HttpRequest, number: str = "") -> HttpResponse:
    """Anyone: a certificate number in, what the register publishes out (or a 404 in Chinese)."""
    form = VerifyForm(request.GET or None, initial={"number": number})
    if not number and form.is_bound and form.is_valid():
        return redirect("certificates:verify", form.cleaned_data["number"].strip())
    if not number:
        return render(request, "certificates/verify.html", {"form": form, "certificate": None, "asked": ""})
    certificate = Certificate.objects.filter(number=number.strip()).select_related("bureau").first()
    context = {
        "form": VerifyForm(initial={"number": number}),
        "certificate": certificate,
        "asked": number,
        "type_label": type_label(certificate.type) if certificate else "",
    }
    return render(request, "certificates/verify.html", context, status=200 if certificate else 404)


def register(request: HttpRequest) -> HttpResponse:
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else None
    kind = request.GET.get("type", "")
    query = request.GET.get("q", "")
    page = Paginator(selectors.register(year=year, kind=kind, query=query), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "years": selectors.register_years(),
        "types": [(code, type_label(code)) for code in selectors.register_types()],
        "year": year,
        "kind": kind,
        "query": query,
    }
    return render(request, "certificates/register.html", context)
