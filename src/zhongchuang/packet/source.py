"""What a packet is made from: `PacketSource`, read from a frozen version or from a draft's current data.

A submitted version prints what was frozen at submission (facts, evaluation, evidence hashes); the
files themselves come from storage and are appended only when their SHA-256 still matches the
frozen value. A draft prints the space's current data, evaluated now at the round's reference
date, and carries the 草稿 watermark.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from zhongchuang.applications.models import Application, ApplicationVersion
from zhongchuang.applications.services import frozen_evidence
from zhongchuang.bridge.services import lenient_facts, space_facts_data
from zhongchuang.engine.context import SHANGHAI
from zhongchuang.engine.evaluate import evaluate
from zhongchuang.engine.policy import load_policy
from zhongchuang.errors import FactsError
from zhongchuang.evidence.models import Document

Day = date  # `PacketSource.date` would otherwise shadow the type in the annotations after it


@dataclass(frozen=True)
class EvidenceFile:
    """One evidence document as listed in the packet; its bytes come from `document` or `content`."""

    ref: str  # "D12", the id the facts' `evidence` lists use
    kind: str
    title: str
    sha256: str  # the value frozen at submission (or the stored one for a draft)
    mime: str
    size: int | None = None
    pages: int | None = None
    document: Document | None = field(default=None, compare=False, repr=False)
    content: bytes | None = field(default=None, compare=False, repr=False)

    def read(self) -> bytes | None:
        """The file's bytes, or None when it is missing or no longer matches its SHA-256."""
        content = self.content
        if content is None and self.document is not None and self.document.file:
            try:
                with self.document.file.open("rb") as handle:
                    content = handle.read()
            except OSError:
                return None
        if content is None or hashlib.sha256(content).hexdigest() != self.sha256:
            return None
        return content


@dataclass
class PacketSource:
    operator_name: str
    space_name: str
    application_type: str  # the policy's title, e.g. 厦门市2025年市级众创空间认定（综合型）
    round_name: str
    date: Day  # the submission date (Asia/Shanghai), or today for a draft
    facts: dict[str, Any]  # facts-format JSON data
    evaluation: dict[str, Any] | None  # EvaluationResult JSON; None when the draft cannot be evaluated
    evidence: list[EvidenceFile]
    draft: bool
    reference_date: Day | None = None  # the round's 基准日
    policy_id: str = ""
    version_number: int | None = None
    pledge_text: str = ""
    contact: dict[str, str] = field(default_factory=dict)  # name, phone, email of the operator's contact
    problems: list[tuple[str, str]] = field(
        default_factory=list
    )  # (where, zh): draft rows left out of the evaluation


def _contact(organisation: Any) -> dict[str, str]:
    return {
        "name": organisation.contact_name,
        "phone": organisation.contact_phone,
        "email": organisation.contact_email,
    }


def _evidence_files(space: Any, listed: list[dict[str, Any]]) -> list[EvidenceFile]:
    ids = [
        int(item["ref"][1:])
        for item in listed
        if str(item.get("ref", "")).startswith("D") and item["ref"][1:].isdigit()
    ]
    documents = {document.ref: document for document in Document.objects.filter(space=space, pk__in=ids)}
    files = []
    for item in listed:
        document = documents.get(item["ref"])
        files.append(
            EvidenceFile(
                ref=item["ref"],
                kind=item.get("kind", "other"),
                title=item.get("title", ""),
                sha256=item.get("sha256", ""),
                mime=item.get("mime", ""),
                size=item.get("size"),
                pages=document.pages if document else None,
                document=document,
            )
        )
    return files


def packet_source_for_version(version: ApplicationVersion) -> PacketSource:
    """A submitted (frozen) version: no watermark; everything as it was at submission."""
    version = ApplicationVersion.objects.select_related(
        "application__round", "application__space__organisation"
    ).get(pk=version.pk)
    application = version.application
    facts = version.facts
    evaluation = version.evaluation or None
    title = (evaluation or {}).get("policy_title_zh") or load_policy(version.policy_id).title.zh
    as_of = facts.get("as_of")
    return PacketSource(
        operator_name=facts["operator"]["name"],
        space_name=facts["space"]["name"],
        application_type=title,
        round_name=application.round.name,
        date=version.submitted_at.astimezone(SHANGHAI).date(),
        facts=facts,
        evaluation=evaluation,
        evidence=_evidence_files(application.space, version.evidence),
        draft=False,
        reference_date=date.fromisoformat(as_of) if as_of else application.round.reference_date,
        policy_id=version.policy_id,
        version_number=version.number,
        pledge_text=version.pledge_text,
        contact=_contact(application.space.organisation),
    )


def packet_source_for_draft(application: Application) -> PacketSource:
    """The application's current data, evaluated now at the round's reference date; watermarked 草稿."""
    from zhongchuang.applications.services import PLEDGE_TEXT, PLEDGE_TITLE

    application = Application.objects.select_related("round", "space__organisation").get(pk=application.pk)
    round_ = application.round
    space = application.space
    data = space_facts_data(space)
    data["as_of"] = round_.reference_date.isoformat()
    policy = load_policy(round_.policy_id)
    evaluation: dict[str, Any] | None = None
    problems: list[tuple[str, str]] = []
    try:
        # lenient_facts drops rows with errors from what it is given: evaluate a copy, print everything typed.
        facts, set_aside = lenient_facts(copy.deepcopy(data))
        evaluation = evaluate(facts, policy, as_of=round_.reference_date).model_dump(mode="json")
        problems = [(problem.where, problem.zh) for problem in set_aside]
    except FactsError as error:
        problems = [(problem.where, problem.zh) for problem in error.problems]
    listed = frozen_evidence(space, data)
    return PacketSource(
        operator_name=data["operator"].get("name", ""),
        space_name=data["space"].get("name") or str(space),
        application_type=policy.title.zh,
        round_name=round_.name,
        date=timezone.now().astimezone(SHANGHAI).date(),
        facts=data,
        evaluation=evaluation,
        evidence=_evidence_files(space, listed),
        draft=True,
        reference_date=round_.reference_date,
        policy_id=policy.id,
        pledge_text=f"{PLEDGE_TITLE}：{PLEDGE_TEXT}",
        contact=_contact(space.organisation),
        problems=problems,
    )
