"""The progress tests' fixtures: an empty stats cache and a pinned clock, asked for with
``pytestmark = pytest.mark.usefixtures("fresh_cache", "clock")`` (the browser test, whose live
server keeps real time, does not)."""

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from tests.progress.progress_helpers import AFTER_THE_PLAN


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """The stats cache outlives each test's database (locmem): start every test without it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock() -> Iterator[Any]:
    """The stats count to today: pinned after the plan unless a test travels (to ``TODAY``)."""
    with time_machine.travel(AFTER_THE_PLAN, tick=False) as traveller:
        yield traveller
