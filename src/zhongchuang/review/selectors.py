"""Reads for intake and formal review. Scoping to the user's bureau is done by the caller
(`applications.selectors.application_for` / `bureau_round_for`, 404 outside it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from zhongchuang.applications.models import Application, ApplicationVersion, Round
from zhongchuang.applications.selectors import frozen_result, round_applications
from zhongchuang.engine.results import CheckResult, CriterionResult, EvaluationResult
from zhongchuang.review.models import (
    CorrectionRequest,
    CriterionVerdict,
    PaperReceipt,
    ReviewItem,
)

REVIEW_KINDS = ("J", "M")  # judgement and mixed checks are the ones a reviewer must decide

# --- intake ----------------------------------------------------------------------------------------


def receipts_of(application: Application) -> QuerySet[PaperReceipt]:
    return application.receipts.select_related("logged_by").order_by("-logged_at", "-id")


def latest_receipt(application: Application) -> PaperReceipt | None:
    return receipts_of(application).first()


def round_intake(round_: Round) -> QuerySet[Application]:
    """The round's applications submitted online, each with its latest receipt (one query)."""
    latest = PaperReceipt.objects.filter(application=OuterRef("pk")).order_by("-logged_at", "-id")
    return round_applications(round_).annotate(
        receipt_accepted=Subquery(latest.values("accepted")[:1]),
        receipt_received_at=Subquery(latest.values("received_at")[:1]),
        receipt_postmark=Subquery(latest.values("postmark_date")[:1]),
        receipt_tracking=Subquery(latest.values("tracking_number")[:1]),
    )


# --- formal review ---------------------------------------------------------------------------------


def latest_version(application: Application) -> ApplicationVersion | None:
    return application.versions.order_by("-number").first()


def review_checks(criterion: CriterionResult) -> list[CheckResult]:
    """The checks of a criterion a reviewer must resolve: `needs_review` and of kind J or M."""
    return [c for c in criterion.checks if c.status == "needs_review" and c.kind in REVIEW_KINDS]


@dataclass
class ItemRow:
    check: CheckResult
    resolution: ReviewItem | None
    previous: ReviewItem | None  # given on an earlier version: a hint, it does not count


@dataclass
class CriterionRow:
    criterion: CriterionResult
    verdict: CriterionVerdict | None
    previous: CriterionVerdict | None
    items: list[ItemRow] = field(default_factory=list)


@dataclass
class ReviewSheet:
    version: ApplicationVersion
    result: EvaluationResult
    rows: list[CriterionRow]

    @property
    def criteria_open(self) -> list[str]:
        return [row.criterion.id for row in self.rows if row.verdict is None]

    @property
    def items_open(self) -> list[str]:
        return [item.check.id for row in self.rows for item in row.items if item.resolution is None]

    @property
    def items_total(self) -> int:
        return sum(len(row.items) for row in self.rows)

    @property
    def overrides(self) -> list[CriterionVerdict]:
        return [row.verdict for row in self.rows if row.verdict is not None and row.verdict.is_override]


def _latest_by(rows: Any, key: str) -> dict[str, Any]:
    """Rows ordered by version: the last one per key wins."""
    found: dict[str, Any] = {}
    for row in rows:
        found[getattr(row, key)] = row
    return found


def review_sheet(application: Application, version: ApplicationVersion | None = None) -> ReviewSheet | None:
    """The frozen evaluation of the version (default: latest) with the verdicts and resolutions beside it."""
    version = version or latest_version(application)
    if version is None:
        return None
    result = frozen_result(version)
    verdicts = list(
        CriterionVerdict.objects.filter(application=application, version_number__lte=version.number)
        .select_related("by")
        .order_by("version_number", "id")
    )
    items = list(
        ReviewItem.objects.filter(application=application, version_number__lte=version.number)
        .select_related("by")
        .order_by("version_number", "id")
    )
    current_verdicts = _latest_by((v for v in verdicts if v.version_number == version.number), "criterion_id")
    earlier_verdicts = _latest_by((v for v in verdicts if v.version_number < version.number), "criterion_id")
    current_items = _latest_by((i for i in items if i.version_number == version.number), "check_id")
    earlier_items = _latest_by((i for i in items if i.version_number < version.number), "check_id")
    rows = [
        CriterionRow(
            criterion,
            current_verdicts.get(criterion.id),
            earlier_verdicts.get(criterion.id),
            [
                ItemRow(check, current_items.get(check.id), earlier_items.get(check.id))
                for check in review_checks(criterion)
            ],
        )
        for criterion in result.criteria
    ]
    return ReviewSheet(version, result, rows)


def evidence_entry(application: Application, ref: str) -> dict[str, Any] | None:
    """The frozen evidence entry `ref` of any version of the application (newest first)."""
    for version in application.versions.order_by("-number"):
        for doc in version.evidence:
            if doc.get("ref") == ref:
                return dict(doc)
    return None


# --- corrections -----------------------------------------------------------------------------------


def latest_correction_request(application: Application) -> CorrectionRequest | None:
    return (
        CorrectionRequest.objects.filter(application=application)
        .prefetch_related("items")
        .select_related("created_by")
        .order_by("-created_at", "-id")
        .first()
    )


def is_answered(request: CorrectionRequest, latest_number: int | None) -> bool:
    """A request is answered once a version newer than the one it was made on exists."""
    return latest_number is not None and latest_number > request.version_number


def open_correction_request(application: Application) -> CorrectionRequest | None:
    request = latest_correction_request(application)
    latest = latest_version(application)
    if request is None or is_answered(request, latest.number if latest else None):
        return None
    return request


def correction_requests_of(application: Application) -> list[tuple[CorrectionRequest, bool]]:
    """Every request, newest first, each with whether it has been answered."""
    latest = latest_version(application)
    requests = (
        CorrectionRequest.objects.filter(application=application)
        .prefetch_related("items")
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
    return [(r, is_answered(r, latest.number if latest else None)) for r in requests]
