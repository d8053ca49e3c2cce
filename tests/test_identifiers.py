import pytest

from zhongchuang.identifiers import InvalidUSCC, make_uscc, validate_uscc


@pytest.mark.parametrize("code", ["91110108551385082Q", "91110000600037341L", " 9111 0108-5513 85082q "])
def test_published_codes_are_accepted_and_normalised(code: str) -> None:
    assert validate_uscc(code) in {"91110108551385082Q", "91110000600037341L"}


def test_a_wrong_check_character_is_refused_with_the_expected_one() -> None:
    with pytest.raises(InvalidUSCC) as error:
        validate_uscc("91110108551385082A")
    assert "第18位应为“Q”" in error.value.reason_zh
    assert "should be 'Q'" in error.value.reason_en


@pytest.mark.parametrize(
    ("code", "reason"),
    [("9111010855138508", "应为18位"), ("91110108551385O82Q", "第15位"), ("B1110108551385082Q", "第1位")],
)
def test_malformed_codes_say_what_is_wrong(code: str, reason: str) -> None:
    with pytest.raises(InvalidUSCC, match=reason):
        validate_uscc(code)


def test_codes_starting_with_n_or_y_are_legitimate() -> None:
    # python-stdnum refuses these (DOMAIN.md §6.1); the standard allows them.
    assert validate_uscc(make_uscc("N2350200MA2Y00001")).startswith("N2")
    assert validate_uscc(make_uscc("Y1350200MA2Y00001")).startswith("Y1")
