"""The unified social credit code (统一社会信用代码) of GB 32100-2015."""

import pytest
from django.core.exceptions import ValidationError

from registry.validators import credit_code_check_character, validate_credit_code
from tests.factories import PlatformFactory

# Codes of real enterprises, as published in the national enterprise credit system.
REAL_CODES = [
    "91350100M000100Y43",
    "91110000802100433B",
    "914403001922038216",
    "91440300708461136T",
]


def with_check_character(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_real_credit_code_is_valid(code):
    validate_credit_code(code)  # raises on failure
    assert credit_code_check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        pytest.param("91350100M000100Y44", "credit_code_check", id="wrong-check-digit"),
        pytest.param("91110000802100433C", "credit_code_check", id="wrong-check-letter"),
        pytest.param("914403001922038215", "credit_code_check", id="off-by-one-check"),
        pytest.param("91350100M000100Y4", "credit_code_length", id="17-characters"),
        pytest.param("91350100M000100Y433", "credit_code_length", id="19-characters"),
        pytest.param("", "credit_code_length", id="empty"),
        pytest.param("91350100M000100I43", "credit_code_characters", id="letter-I"),
        pytest.param("91350100M000100O43", "credit_code_characters", id="letter-O"),
        pytest.param("91350100M000100S43", "credit_code_characters", id="letter-S"),
        pytest.param("91350100M000100V43", "credit_code_characters", id="letter-V"),
        pytest.param("91350100M000100Z43", "credit_code_characters", id="letter-Z"),
        pytest.param("91350100m000100y43", "credit_code_characters", id="lower-case"),
        pytest.param("91350100M000100Y4 ", "credit_code_characters", id="trailing-space"),
        pytest.param("9135010０M000100Y43", "credit_code_characters", id="full-width-digit"),
        pytest.param(
            with_check_character("91A50100M000100Y4"), "credit_code_division", id="letter-division"
        ),
        pytest.param(
            with_check_character("9135010AM000100Y4"), "credit_code_division", id="division-end"
        ),
    ],
)
def test_an_invalid_credit_code_is_refused_with_the_right_error_code(code, error_code):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.code == error_code


def test_the_length_error_says_how_long_the_code_was():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("91350100M000100Y4")
    assert "17" in caught.value.messages[0]


def test_the_character_error_names_the_forbidden_characters():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("91350100M000100Z4O")
    assert "'O'" in caught.value.messages[0]
    assert "'Z'" in caught.value.messages[0]


@pytest.mark.django_db
def test_platform_full_clean_refuses_a_credit_code_with_a_wrong_check_character():
    platform = PlatformFactory.build(credit_code="91350100M000100Y44")
    with pytest.raises(ValidationError) as caught:
        platform.full_clean()
    assert set(caught.value.error_dict) == {"credit_code"}
    assert caught.value.error_dict["credit_code"][0].code == "credit_code_check"


@pytest.mark.django_db
def test_platform_full_clean_accepts_a_real_credit_code():
    platform = PlatformFactory.build(credit_code="91350100M000100Y43")
    platform.full_clean()
    platform.save()
    assert platform.pk is not None
