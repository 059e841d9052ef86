"""The openness tests' fixtures."""

from typing import Any

import pytest

from openness import services
from openness.models import Batch


@pytest.fixture
def open_batch(curator: Any) -> Batch:
    """Batch 1, created and opened by the curator through the services."""
    batch = services.batch_create(actor=curator, data={"title": "第一批平台开放清单", "year": 2026})
    return services.batch_open(actor=curator, batch_id=batch.pk)
