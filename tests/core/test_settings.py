"""Settings read from the environment are parsed strictly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.settings import env_bool, env_int


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("on", True), ("false", False), ("0", False)],
)
def test_a_flag_reads_the_usual_words(monkeypatch, value, expected):
    monkeypatch.setenv("SECURE_COOKIES", value)
    assert env_bool("SECURE_COOKIES") is expected


@pytest.mark.parametrize("value", ["ture", "flase", "y", "enabled"])
def test_a_misspelt_flag_is_an_error_not_false(monkeypatch, value):
    monkeypatch.setenv("SECURE_COOKIES", value)
    with pytest.raises(ImproperlyConfigured, match="SECURE_COOKIES must be true or false"):
        env_bool("SECURE_COOKIES")


def test_an_unset_or_empty_flag_takes_its_default(monkeypatch):
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    assert env_bool("SECURE_COOKIES", True) is True
    monkeypatch.setenv("SECURE_COOKIES", " ")
    assert env_bool("SECURE_COOKIES") is False


def test_a_number_that_is_not_one_is_an_error(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be an integer"):
        env_int("EMAIL_PORT", 25)
