"""What a test does when a tool it needs (Chromium, GNU gettext…) is not installed here."""

import os

import pytest


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Skip with ``reason``, or fail under ``CI=true``, where every test must run."""
    if under_ci():
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)
