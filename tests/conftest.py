"""Collects policy cases from tests/policy_cases/*.yaml: one test item per case, named by its sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent.name == "policy_cases":
        return PolicyCaseFile.from_parent(parent, path=file_path)
    return None


class PolicyCaseFile(pytest.File):
    def collect(self) -> Any:
        from zhongchuang.testing.cases import load_cases

        for case in load_cases(self.path, ROOT):
            yield PolicyCaseItem.from_parent(self, name=case.name, case=case)


class PolicyCaseFailed(Exception):
    pass


class PolicyCaseItem(pytest.Item):
    def __init__(self, *, case: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        from zhongchuang.testing.cases import explain

        result, mismatches = self.case.run()
        if mismatches:
            raise PolicyCaseFailed("\n".join(mismatches) + "\n\n" + explain(result))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, PolicyCaseFailed):
            return f"{self.case.source}: {self.name}\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"policy case: {self.name}"
