"""The workflow file (`certification.yaml`) read into plain data and checked as a whole.

Pure Python: no Django, so the table can be checked and drawn anywhere. The checks refuse a file
with a transition to an unknown state, a state no path reaches, a non-final state with no way out,
or an unknown role, naming the key.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROLES = frozenset({"operator", "reviewer", "inspector", "bureau_admin", "system"})
WORKFLOW_FILE = Path(__file__).with_name("certification.yaml")


class WorkflowFileError(ValueError):
    """The workflow file is inconsistent; the message names the key."""


@dataclass(frozen=True)
class State:
    id: str
    staff_label: str
    operator_label: str
    final: bool


@dataclass(frozen=True)
class Step:
    id: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    comment_required: bool
    guards: tuple[str, ...]
    page: str  # URL name of the page where the step is taken with its own form ("" = comment only)


@dataclass(frozen=True)
class Workflow:
    id: str
    initial: str
    states: dict[str, State]
    steps: dict[str, Step]

    def steps_from(self, state: str) -> list[Step]:
        return [step for step in self.steps.values() if state in step.sources]

    def reachable(self) -> set[str]:
        seen, queue = {self.initial}, deque([self.initial])
        while queue:
            for step in self.steps_from(queue.popleft()):
                if step.target not in seen:
                    seen.add(step.target)
                    queue.append(step.target)
        return seen


def _step(step_id: str, raw: dict[str, Any], states: dict[str, State]) -> Step:
    where = f"transitions.{step_id}"
    unknown_keys = set(raw) - {"label", "from", "to", "roles", "comment", "guards", "page"}
    if unknown_keys:
        raise WorkflowFileError(f"{where}: unknown keys {sorted(unknown_keys)}")
    for state in [*raw["from"], raw["to"]]:
        if state not in states:
            raise WorkflowFileError(f"{where}: unknown state {state!r}")
    roles = frozenset(raw["roles"])
    if not roles or roles - ROLES:
        raise WorkflowFileError(f"{where}.roles: unknown roles {sorted(roles - ROLES)}")
    if raw.get("comment", "optional") not in ("required", "optional"):
        raise WorkflowFileError(f"{where}.comment: 'required' or 'optional'")
    return Step(
        id=step_id,
        label=raw["label"],
        sources=tuple(raw["from"]),
        target=raw["to"],
        roles=roles,
        comment_required=raw.get("comment") == "required",
        guards=tuple(raw.get("guards", [])),
        page=raw.get("page", ""),
    )


def parse_workflow(raw: dict[str, Any]) -> Workflow:
    states = {
        state_id: State(state_id, spec["staff"], spec["operator"], bool(spec.get("final", False)))
        for state_id, spec in raw["states"].items()
    }
    if raw["initial"] not in states:
        raise WorkflowFileError(f"initial: unknown state {raw['initial']!r}")
    steps = {step_id: _step(step_id, spec, states) for step_id, spec in raw["transitions"].items()}
    workflow = Workflow(raw["id"], raw["initial"], states, steps)
    unreachable = set(states) - workflow.reachable()
    if unreachable:
        raise WorkflowFileError(f"states: unreachable {sorted(unreachable)}")
    dead_ends = [s.id for s in states.values() if not s.final and not workflow.steps_from(s.id)]
    if dead_ends:
        raise WorkflowFileError(f"states: no way out of {dead_ends} (mark them final or add a transition)")
    return workflow


@cache
def certification_workflow() -> Workflow:
    return parse_workflow(yaml.safe_load(WORKFLOW_FILE.read_text(encoding="utf-8")))
