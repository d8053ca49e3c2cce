"""Reads for the inbox and the staff dashboard: messages, queues by state, the searchable list,
deadlines and workload.

Everything is scoped to the user's bureau; a page makes a fixed number of queries whatever the
number of applications (the handler and the latest version are annotations, deadlines one query
per source app).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongchuang.accounts.models import Membership
from zhongchuang.applications.models import Application, ApplicationVersion, Round
from zhongchuang.audit.models import AuditEntry
from zhongchuang.notifications.models import Message
from zhongchuang.workflow.definition import State, certification_workflow

# The states each role works on (the workflow table says who may act; these are the "my queue" views).
QUEUES: dict[str, tuple[str, ...]] = {
    "review": ("received", "formal_review", "resubmitted"),
    "inspection": ("site_inspection",),
    "decision": ("collective_decision", "proposed", "public_notice"),
}
ROLE_QUEUE = {"reviewer": "review", "inspector": "inspection", "bureau_admin": "decision"}
CLOSED_STATES = frozenset({"certified", "rejected", "withdrawn", "draft"})


# --- the inbox (every signed-in user: only their own messages; another user's message id is 404) -----


def inbox_for(user: Any) -> QuerySet[Message]:
    """Unread first, then newest first."""
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1))
    return (
        Message.objects.filter(recipient=user)
        .select_related("application")
        .alias(read=unread_first)
        .order_by("read", "-created_at", "-id")
    )


def unread_count(user: Any) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def message_for(user: Any, message_id: int) -> Message:
    message = Message.objects.filter(recipient=user, pk=message_id).first()
    if message is None:
        raise Http404
    return message


# --- states and queues ---------------------------------------------------------------------------------


def dashboard_states() -> list[State]:
    """The states staff see on the dashboard, in the order of the workflow file (drafts are the operator's)."""
    return [state for state in certification_workflow().states.values() if state.id != "draft"]


def state_label(state_id: str) -> str:
    """The staff label of a state, translated (the model's choices carry the workflow file's words)."""
    return str(Application.Status(state_id).label)


# --- the bureau's applications -----------------------------------------------------------------------


def bureau_applications(bureau_id: int) -> QuerySet[Application]:
    """Submitted applications of the bureau's rounds, with the latest version and the current handler.

    The handler is the last member of this bureau who acted on the application since it entered its
    current state (the audit log knows who); inspection assignments, when that app has them, add to it.
    """
    versions = ApplicationVersion.objects.filter(application=OuterRef("pk"))
    latest = versions.order_by("-number")
    handler = AuditEntry.objects.filter(
        application=OuterRef("pk"),
        at__gte=OuterRef("status_changed_at"),
        actor__membership__bureau_id=bureau_id,
    ).order_by("-at", "-id")
    return (
        Application.objects.filter(round__bureau_id=bureau_id)
        .filter(Exists(versions))
        .select_related("round", "space__organisation")
        .annotate(
            latest_number=Subquery(latest.values("number")[:1]),
            latest_verdict=Subquery(latest.values("verdict")[:1]),
            handler_id=Subquery(handler.values("actor_id")[:1]),
        )
    )


def state_counts(bureau_id: int) -> dict[str, int]:
    """Applications per state for the bureau, every dashboard state present (zero when empty)."""
    versions = ApplicationVersion.objects.filter(application=OuterRef("pk"))
    rows = (
        Application.objects.filter(round__bureau_id=bureau_id)
        .filter(Exists(versions))
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {state.id: counts.get(state.id, 0) for state in dashboard_states()}


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to (all optional); the form turns the query string into this."""

    q: str = ""
    round: Round | None = None
    state: str = ""
    policy: str = ""
    queue: str = ""
    mine: bool = False


def search(query: QuerySet[Application], filters: Filters, user: Any) -> QuerySet[Application]:
    if filters.q:
        term = filters.q.strip()
        query = query.filter(
            Q(space__space_name__icontains=term)
            | Q(space__organisation__name__icontains=term)
            | Q(space__organisation__uscc__icontains=term)
        )
    if filters.round is not None:
        query = query.filter(round=filters.round)
    if filters.state:
        query = query.filter(status=filters.state)
    if filters.policy:
        query = query.filter(round__policy_id=filters.policy)
    if filters.queue:
        query = query.filter(status__in=QUEUES[filters.queue])
    if filters.mine:
        assigned = assigned_application_ids(user)
        query = query.filter(Q(handler_id=user.pk) | Q(pk__in=assigned))
    return query


def dashboard_rows(
    bureau_id: int, filters: Filters, user: Any, *, order: str = "waiting"
) -> list[Application]:
    """The list under the tiles, each row with `deadline` (the date that matters in its state) and
    `handler` (the user handling it now, or None), sorted by `order`:
    waiting = longest in the current state first; recent = latest change first; deadline = nearest first."""
    rows = list(search(bureau_applications(bureau_id), filters, user))
    deadlines = deadlines_for(rows)
    handler_ids = {row.handler_id for row in rows if row.handler_id}
    handlers = get_user_model().objects.in_bulk(handler_ids) if handler_ids else {}
    for row in rows:
        row.deadline = current_deadline(row, deadlines[row.pk])  # type: ignore[attr-defined]
        row.handler = handlers.get(row.handler_id)  # type: ignore[attr-defined]

    def changed(row: Application) -> float | None:
        return row.status_changed_at.timestamp() if row.status_changed_at else None

    if order == "deadline":
        return sorted(rows, key=lambda r: (r.deadline is None, r.deadline.date if r.deadline else date.max))
    if order == "recent":
        return sorted(rows, key=lambda r: (changed(r) is None, -(changed(r) or 0.0)))
    return sorted(rows, key=lambda r: (changed(r) is None, changed(r) or 0.0))


def bureau_policies(bureau_id: int) -> list[str]:
    return sorted(set(Round.objects.filter(bureau_id=bureau_id).values_list("policy_id", flat=True)))


# --- deadlines -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    state: str  # the state in which the date matters
    label: str
    date: date


# (state, app label, model, date field, path from the model to the application) of the dates the
# review, inspection and notice apps keep. Read defensively: a missing app, model or field is skipped,
# and the first source that exists for a state is the one used.
DEADLINE_SOURCES: tuple[tuple[str, str, str, str, str], ...] = (
    ("correction_requested", "review", "CorrectionRequest", "due_date", "application"),
    ("site_inspection", "inspection", "Inspection", "planned_on", "application"),
    ("public_notice", "notice", "PublicNotice", "end_date", "entries__application"),
)
DEADLINE_LABELS = {
    "correction_requested": gettext_lazy("补正截止"),
    "site_inspection": gettext_lazy("计划核查日期"),
    "public_notice": gettext_lazy("公示结束"),
}


def _dates_from(
    app_label: str, model_name: str, field: str, path: str, ids: list[int]
) -> list[tuple[int, date]]:
    """(application id, date) pairs from another app's model, or [] when it does not exist (yet)."""
    from django.apps import apps
    from django.core.exceptions import FieldError

    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    try:
        rows = model.objects.filter(**{f"{path}__in": ids}).values_list(path, field)
        return [(application_id, day) for application_id, day in rows if application_id and day]
    except FieldError:
        return None


def deadlines_for(applications: list[Application]) -> dict[int, list[Deadline]]:
    """Every known deadline of each application, earliest first: the round's deadline while it waits
    for the paper packet, then correction due dates, planned inspection dates and notice end dates
    from the review, inspection and notice apps (each source one query; absent sources are skipped)."""
    ids = [application.pk for application in applications]
    found: dict[int, list[Deadline]] = {pk: [] for pk in ids}
    for application in applications:
        round_ = application.round
        label = _("寄出截止") if round_.deadline_rule == Round.DeadlineRule.POSTMARK else _("送达截止")
        found[application.pk].append(Deadline("submitted", label, round_.deadline))
    if not ids:
        return found
    done: set[str] = set()
    for state, app_label, model_name, field, path in DEADLINE_SOURCES:
        if state in done:
            continue
        pairs = _dates_from(app_label, model_name, field, path, ids)
        if pairs is None:
            continue
        done.add(state)
        for application_id, day in pairs:
            found[application_id].append(Deadline(state, str(DEADLINE_LABELS[state]), day))
    for deadlines in found.values():
        deadlines.sort(key=lambda deadline: deadline.date)
    return found


def current_deadline(application: Application, deadlines: list[Deadline]) -> Deadline | None:
    """The date that matters in the application's current state (the latest one if several)."""
    relevant = [deadline for deadline in deadlines if deadline.state == application.status]
    return relevant[-1] if relevant else None


# --- assignments and workload ------------------------------------------------------------------------------


def assignments(
    application_ids: list[int] | None = None, inspector_id: int | None = None
) -> list[tuple[int, int]]:
    """(application id, inspector id) of the inspection app's current assignments (not removed, not
    recused for a conflict of interest); [] while that app has none."""
    from django.apps import apps
    from django.core.exceptions import FieldError

    try:
        model = apps.get_model("inspection", "Assignment")
        rows = model.objects.exclude(status__in=("removed", "conflict"))
        if application_ids is not None:
            rows = rows.filter(inspection__application_id__in=application_ids)
        if inspector_id is not None:
            rows = rows.filter(inspector_id=inspector_id)
        return list(rows.values_list("inspection__application_id", "inspector_id"))
    except (LookupError, FieldError):
        return []


def assigned_application_ids(user: Any) -> list[int]:
    return [application_id for application_id, _person in assignments(inspector_id=user.pk)]


@dataclass(frozen=True)
class Workload:
    user: Any
    role: str  # the role's label
    open_count: int


def workload(bureau_id: int) -> list[Workload]:
    """Open applications per staff member of the bureau: those they handle now (last to act in the
    current state) plus their inspection assignments, each application counted once per person."""
    open_apps = list(
        bureau_applications(bureau_id).exclude(status__in=CLOSED_STATES).values_list("pk", "handler_id")
    )
    people: dict[int, set[int]] = {}
    for application_id, handler_id in open_apps:
        if handler_id:
            people.setdefault(handler_id, set()).add(application_id)
    open_ids = {application_id for application_id, _ in open_apps}
    for application_id, person in assignments(list(open_ids)):
        people.setdefault(person, set()).add(application_id)
    staff = (
        Membership.objects.filter(bureau_id=bureau_id, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__username")
    )
    rows = [
        Workload(member.user, member.get_role_display(), len(people.get(member.user_id, ())))
        for member in staff
    ]
    return sorted(rows, key=lambda row: -row.open_count)
