"""Round statistics: how many were received, where they are now, and how the criteria fared.

Reads the frozen evaluation of each application's latest version (the stored result contract,
docs/results-format.md: `criteria[].id`, `criteria[].status`, titles) — never re-evaluates. Four
queries whatever the number of applications.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhongchuang.applications.models import Application, ApplicationVersion, Round
from zhongchuang.audit.models import AuditEntry
from zhongchuang.dashboard.selectors import dashboard_states, state_label
from zhongchuang.workflow.definition import State

STATUSES = ("pass", "needs_review", "missing_data", "fail")
STATUS_LABELS = {
    "pass": _("符合"),
    "needs_review": _("待人工审核"),
    "missing_data": _("缺少数据"),
    "fail": _("不符合"),
}


@dataclass
class CriterionStats:
    id: str
    title: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, status: str) -> float:
        """Percentage of the evaluated applications with this status, one decimal."""
        return round(100 * self.counts[status] / self.total, 1) if self.total else 0.0

    @property
    def cells(self) -> list[tuple[str, int, float]]:
        """(status, count, percentage) in the fixed status order, for the table."""
        return [(status, self.counts[status], self.share(status)) for status in STATUSES]


@dataclass(frozen=True)
class RoundStats:
    submitted: int  # applications submitted online at least once
    received: int  # of those, whose paper packet was logged as received
    by_state: list[tuple[State, int]]
    evaluated: int  # applications whose latest evaluation counts in the criteria figures
    criteria: list[CriterionStats]

    def count(self, state_id: str) -> int:
        return next((n for state, n in self.by_state if state.id == state_id), 0)

    @property
    def certified(self) -> int:
        return self.count("certified")

    @property
    def rejected(self) -> int:
        return self.count("rejected")


def _criterion_title(criterion: dict[str, Any]) -> str:
    english = (get_language() or "").startswith("en")
    return str(criterion.get("title_en" if english else "title_zh") or criterion.get("title_zh") or "")


def criteria_stats(evaluations: list[dict[str, Any]]) -> list[CriterionStats]:
    """Per criterion id, how many evaluations gave each status; criteria in the order they first appear
    (the order of the policy text, since a round has one policy)."""
    table: dict[str, CriterionStats] = {}
    for evaluation in evaluations:
        for criterion in evaluation.get("criteria", []):
            row = table.setdefault(
                criterion["id"], CriterionStats(criterion["id"], _criterion_title(criterion))
            )
            if criterion.get("status") in row.counts:
                row.counts[criterion["status"]] += 1
    return list(table.values())


def round_stats(round_: Round) -> RoundStats:
    versions = ApplicationVersion.objects.filter(application=OuterRef("pk"))
    applications = Application.objects.filter(round=round_).filter(Exists(versions))
    by_status = {
        row["status"]: row["n"] for row in applications.values("status").annotate(n=Count("id")).order_by()
    }
    received = (
        AuditEntry.objects.filter(application__in=applications, after__step="receive")
        .values("application_id")
        .distinct()
        .count()
    )
    # Withdrawn applications are no longer assessed: their last evaluation does not count.
    latest = ApplicationVersion.objects.filter(
        application__in=applications.exclude(status="withdrawn"),
        number=Subquery(
            ApplicationVersion.objects.filter(application=OuterRef("application"))
            .order_by("-number")
            .values("number")[:1]
        ),
    )
    evaluations = list(latest.values_list("evaluation", flat=True))
    return RoundStats(
        submitted=sum(by_status.values()),
        received=received,
        by_state=[(state, by_status.get(state.id, 0)) for state in dashboard_states()],
        evaluated=len(evaluations),
        criteria=criteria_stats(evaluations),
    )


def chart_data(stats: RoundStats) -> dict[str, Any]:
    """The figures for the ECharts pictures (the tables on the page carry the same numbers)."""
    return {
        "states": {
            "labels": [state_label(state.id) for state, _n in stats.by_state],
            "values": [n for _state, n in stats.by_state],
        },
        "criteria": {
            "labels": [f"{row.id} {row.title}" for row in stats.criteria],
            "series": [
                {
                    "status": status,
                    "name": str(STATUS_LABELS[status]),
                    "values": [row.share(status) for row in stats.criteria],
                }
                for status in STATUSES
            ],
        },
    }
