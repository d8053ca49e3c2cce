"""Thin views: the inbox (every signed-in user), the staff dashboard and round statistics (bureau
staff only; operators get 404, another bureau's round is 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongchuang.accounts.permissions import bureau_required
from zhongchuang.applications.models import Round
from zhongchuang.applications.selectors import bureau_round_for
from zhongchuang.dashboard import selectors, services, stats
from zhongchuang.dashboard.forms import QUEUE_CHOICES, DashboardFilterForm

PAGE_SIZE = 50


# --- inbox ---------------------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_for(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request, "dashboard/inbox.html", {"page": page, "unread": selectors.unread_count(request.user)}
    )


@login_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    """Opening a message reads it (as in any mail client)."""
    message = selectors.message_for(request.user, message_id)
    services.message_mark_read(message=message, by=request.user)
    return render(request, "dashboard/message_detail.html", {"message": message})


def _back_to_inbox(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("dashboard:inbox")


@login_required
@require_POST
def message_read(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_for(request.user, message_id)
    services.message_mark_read(message=message, by=request.user)
    return _back_to_inbox(request)


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = services.messages_mark_all_read(by=request.user)
    messages.success(request, _("已将 %(count)d 条消息标为已读") % {"count": count})
    return _back_to_inbox(request)


# --- staff dashboard ----------------------------------------------------------------------------------


@bureau_required()
def home(request: HttpRequest) -> HttpResponse:
    membership = request.user.membership  # type: ignore[union-attr]
    bureau_id = membership.bureau_id
    form = DashboardFilterForm(request.GET, bureau_id=bureau_id)
    rows = selectors.dashboard_rows(bureau_id, form.filters(), request.user, order=form.sort_order())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.state_counts(bureau_id)
    queue_labels = dict(QUEUE_CHOICES)
    queues = [
        (name, queue_labels[name], sum(counts.get(state, 0) for state in states))
        for name, states in selectors.QUEUES.items()
    ]
    return render(
        request,
        "dashboard/home.html",
        {
            "form": form,
            "sort": form.sort_order(),
            "page": page,
            "total": len(rows),
            "tiles": [
                (state, selectors.state_label(state.id), counts[state.id])
                for state in selectors.dashboard_states()
            ],
            "queues": queues,
            "my_queue": selectors.ROLE_QUEUE.get(membership.role, ""),
            "workload": selectors.workload(bureau_id),
            "rounds": Round.objects.filter(bureau_id=bureau_id),
        },
    )


@bureau_required()
def round_stats(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = bureau_round_for(request.user, round_id)
    figures = stats.round_stats(round_)
    return render(
        request,
        "dashboard/round_stats.html",
        {
            "round": round_,
            "stats": figures,
            "chart": stats.chart_data(figures),
            "status_labels": [(status, stats.STATUS_LABELS[status]) for status in stats.STATUSES],
            "state_rows": [(state, selectors.state_label(state.id), n) for state, n in figures.by_state],
        },
    )
