"""Chinese identifiers: the unified social credit code (统一社会信用代码, GB 32100-2015).

python-stdnum rejects legitimate codes whose first character is A, N or Y (DOMAIN.md §6.1),
so the check is written here from the standard.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
AUTHORITY_CODES = set("123456789ANY")


class InvalidUSCC(ValueError):
    """Raised with a bilingual reason; `reason_zh` and `reason_en` are shown to users."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"{reason_zh} / {reason_en}")
        self.reason_zh = reason_zh
        self.reason_en = reason_en


def uscc_check_character(first17: str) -> str:
    """The 18th character for the first 17: C18 = A[(31 - Σ v·w mod 31) mod 31]."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(raw: str) -> str:
    """Upper-case and drop spaces, hyphens and full-width spaces people paste in."""
    return "".join(raw.split()).replace("-", "").replace("\u3000", "").upper()


def validate_uscc(raw: str) -> str:
    """Return the normalised code, or raise InvalidUSCC saying exactly what is wrong."""
    code = normalize_uscc(raw)
    if len(code) != 18:
        raise InvalidUSCC(
            f"统一社会信用代码应为18位，实际为{len(code)}位",
            f"a unified social credit code has 18 characters, got {len(code)}",
        )
    for position, char in enumerate(code, start=1):
        if char not in ALPHABET:
            raise InvalidUSCC(
                f"第{position}位字符“{char}”不允许（不得使用 I、O、Z、S、V）",
                f"character {position} '{char}' is not allowed (I, O, Z, S, V are never used)",
            )
    if code[0] not in AUTHORITY_CODES:
        raise InvalidUSCC(
            f"第1位登记管理部门代码“{code[0]}”无效",
            f"character 1 '{code[0]}' is not a registration authority code",
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise InvalidUSCC(
            f"校验位错误：第18位应为“{expected}”，实际为“{code[17]}”",
            f"wrong check character: position 18 should be '{expected}', got '{code[17]}'",
        )
    return code


def make_uscc(first17: str) -> str:
    """Complete 17 characters into a valid code (used by the synthetic data generator)."""
    return first17 + uscc_check_character(first17)
