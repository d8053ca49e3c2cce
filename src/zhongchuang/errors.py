"""One small error hierarchy: every problem names where it is and says what is wrong in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    where: str  # a file, a key path, or both: "examples/a.json: incubatees[3].admitted_on"
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.where}: {self.zh} / {self.en}" if self.where else f"{self.zh} / {self.en}"


class ZhongchuangError(Exception):
    """Bad input: carries every problem found, never only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


class FactsError(ZhongchuangError):
    """A facts file that cannot be read or does not follow the format."""


class PolicyError(ZhongchuangError):
    """A policy file that the strict loader refuses."""


class UnknownPolicy(ZhongchuangError):
    """A policy id that no file defines."""
