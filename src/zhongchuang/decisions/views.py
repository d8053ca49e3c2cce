"""Pages of the collective decision: meetings of a round, recusals, the decision on an application."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhongchuang.accounts.models import Role
from zhongchuang.accounts.permissions import bureau_required
from zhongchuang.applications.models import Application
from zhongchuang.applications.selectors import application_for, bureau_round_for, is_bureau_admin
from zhongchuang.decisions import selectors, services
from zhongchuang.decisions.forms import DecisionForm, MeetingForm, RecusalForm
from zhongchuang.decisions.minutes import minutes_docx, minutes_pdf
from zhongchuang.decisions.models import Attendee, Meeting
from zhongchuang.decisions.services import DecisionError
from zhongchuang.engine.policy import load_policy
from zhongchuang.workflow.services import TransitionRefused, refusals


def _form_error(form: Form, error: DecisionError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@bureau_required()
def meeting_list(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = bureau_round_for(request.user, round_id)
    context = {
        "round": round_,
        "meetings": selectors.meetings_of_round(round_),
        "awaiting": selectors.awaiting_decision(round_),
        "is_admin": is_bureau_admin(request.user),
    }
    return render(request, "decisions/meeting_list.html", context)


def _meeting_form_page(request: HttpRequest, round_: Any, meeting: Meeting | None) -> HttpResponse:
    initial: dict[str, Any] = {"chair": request.user.pk}
    if meeting is not None:
        attendees = list(meeting.attendees.all())
        initial = {
            "held_on": meeting.held_on,
            "place": meeting.place,
            "chair": meeting.chair_id,
            "staff": [a.user_id for a in attendees if a.user_id],
            "experts": "\n".join(a.name for a in attendees if a.external),
            "minutes": meeting.minutes,
        }
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        staff=selectors.bureau_staff(round_),
    )
    if request.method == "POST" and form.is_valid():
        values = {
            "held_on": form.cleaned_data["held_on"],
            "place": form.cleaned_data["place"],
            "chair": form.cleaned_data["chair"],
            "staff": list(form.cleaned_data["staff"]),
            "experts": form.expert_names(),
            "minutes": form.cleaned_data["minutes"],
            "by": request.user,
        }
        try:
            if meeting is None:
                meeting = services.meeting_create(round=round_, **values)
            else:
                meeting = services.meeting_update(meeting=meeting, **values)
        except DecisionError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("已保存会议：%(meeting)s") % {"meeting": meeting})
            return redirect("decisions:meeting_detail", meeting.pk)
    return render(request, "decisions/meeting_form.html", {"form": form, "round": round_, "meeting": meeting})


@bureau_required(Role.BUREAU_ADMIN)
def meeting_create(request: HttpRequest, round_id: int) -> HttpResponse:
    return _meeting_form_page(request, bureau_round_for(request.user, round_id), None)


@bureau_required(Role.BUREAU_ADMIN)
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, meeting_id)
    return _meeting_form_page(request, meeting.round, meeting)


@bureau_required()
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, meeting_id)
    is_admin = is_bureau_admin(request.user)
    if request.method == "POST" and not is_admin:
        raise Http404
    awaiting = selectors.awaiting_decision(meeting.round)
    form = RecusalForm(
        request.POST if request.method == "POST" else None,
        attendees=meeting.attendees.all(),
        applications=awaiting,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recusal_record(meeting=meeting, by=request.user, **form.cleaned_data)
        except DecisionError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("已记录回避"))
            return redirect("decisions:meeting_detail", meeting.pk)
    context = {
        "meeting": meeting,
        "attendees": meeting.attendees.all(),
        "recusals": selectors.recusals_of(meeting),
        "decisions": selectors.decided_in(meeting),
        "awaiting": awaiting,
        "form": form,
        "is_admin": is_admin,
    }
    return render(request, "decisions/meeting_detail.html", context)


@bureau_required()
def meeting_minutes(request: HttpRequest, meeting_id: int, fmt: str) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, meeting_id)
    name = f"minutes-{meeting.held_on:%Y%m%d}-{meeting.pk}"
    if fmt == "pdf":
        response = HttpResponse(minutes_pdf(meeting), content_type="application/pdf")
    else:
        response = HttpResponse(
            minutes_docx(meeting),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@bureau_required(Role.BUREAU_ADMIN)
def application_decision(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_for(request.user, application_id)  # 404 outside the bureau
    round_ = application.round
    meetings = list(selectors.meetings_of_round(round_))
    decision = selectors.decision_of(application)
    chosen = request.POST.get("meeting") or request.GET.get("meeting")
    meeting = next((m for m in meetings if str(m.pk) == chosen), None)
    meeting = meeting or (decision.meeting if decision else None) or (meetings[0] if meetings else None)
    recusals = list(selectors.recusals_for_application(application))
    clauses = selectors.policy_clauses(round_.policy_id)
    action = request.POST.get("action", "record") if request.method == "POST" else ""

    if action == "take_step":
        try:
            done = services.decision_take_step(application=application, by=request.user)
        except TransitionRefused as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
        else:
            messages.success(request, _("已完成：%(step)s") % {"step": done.step.label})
        return redirect("decisions:application_decision", application.pk)

    form = None
    if meeting is not None:
        recused_ids = {r.attendee_id for r in recusals}
        attendees = Attendee.objects.filter(meeting=meeting)
        initial: dict[str, Any] = {"deciders": [a.pk for a in attendees if a.pk not in recused_ids]}
        if decision is not None and decision.meeting_id == meeting.pk:
            initial = {
                "outcome": decision.outcome,
                "reasons": decision.reasons,
                "cited_clauses": decision.cited_clauses,
                "deciders": [a.pk for a in decision.deciders.all()],
                "votes_for": decision.votes_for,
                "votes_against": decision.votes_against,
                "votes_abstain": decision.votes_abstain,
            }
        form = DecisionForm(
            request.POST if action == "record" else None,
            initial=initial,
            clauses=clauses,
            attendees=attendees,
            fallback=bool(load_policy(round_.policy_id).fallback),
            failing=_failing(application),
        )
        if action == "record" and form.is_valid():
            try:
                services.decision_record(
                    meeting=meeting,
                    application=application,
                    outcome=form.cleaned_data["outcome"],
                    reasons=form.cleaned_data["reasons"],
                    cited_clauses=list(form.cleaned_data["cited_clauses"]),
                    deciders=list(form.cleaned_data["deciders"]),
                    votes=form.votes(),
                    by=request.user,
                )
            except DecisionError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("已记录集体研究决定"))
                return redirect("decisions:application_decision", application.pk)

    step_id = "decide_reject" if decision is not None and not decision.approves else "propose"
    can_decide = application.status == Application.Status.COLLECTIVE_DECISION
    context = {
        "application": application,
        "decision": decision,
        "meeting": meeting,
        "meetings": meetings,
        "recusals": recusals,
        "form": form,
        "cited": _cited(decision, clauses),
        "can_decide": can_decide,
        "step_refusals": refusals(
            application, step_id, by=request.user, comment=decision.reasons if decision else ""
        )
        if can_decide
        else [],
        "step_id": step_id,
        "fallback": _fallback_of(application),
    }
    return render(request, "decisions/application_decision.html", context)


def _cited(decision: Any, clauses: list[selectors.Clause]) -> list[selectors.Clause]:
    known = {clause.id: clause for clause in clauses}
    return [known[c] for c in (decision.cited_clauses if decision else []) if c in known]


def _failing(application: Application) -> frozenset[str]:
    """Criteria and checks the frozen evaluation failed: flagged among the clauses to cite."""
    from zhongchuang.applications.selectors import frozen_result

    version = application.versions.order_by("-number").first()
    if version is None:
        return frozenset()
    result = frozen_result(version)
    return frozenset(
        [c.id for c in result.criteria if c.status == "fail"]
        + [k.id for c in result.criteria for k in c.checks if k.status == "fail"]
    )


def _fallback_of(application: Application) -> Any:
    """The frozen evaluation's fallback (e.g. the comprehensive verdict of a specialized applicant)."""
    from zhongchuang.applications.selectors import frozen_result

    version = application.versions.order_by("-number").first()
    return frozen_result(version).fallback if version is not None else None
