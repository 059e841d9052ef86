"""``seed_demo``'s openness lists under its options: without batches, with a small catalogue, with
none; each test writes its own demo into an empty database (the default demo, written once for
its tests, is in test_seed_batches.py)."""

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from openness.models import Batch, Entry
from registry.models import Resource

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)


def seed(**options: Any) -> str:
    out = StringIO()
    call_command("seed_demo", today=TODAY, no_progress=True, stdout=out, **options)
    return out.getvalue()


def test_no_batches_leaves_the_openness_lists_empty():
    output = seed(resources=40, no_batches=True)

    assert Resource.objects.count() == 40
    assert not Batch.objects.exists()
    assert not get_user_model().objects.exists()
    assert "Batches" not in output


def test_a_small_catalogue_gets_smaller_batches_with_the_same_statuses():
    seed(resources=60)

    assert list(Batch.objects.values_list("status", flat=True)) == [
        "published",
        "published",
        "open",
    ]
    assert 0 < Entry.objects.filter(batch__number=1, status="listed").count() < 60
    assert Entry.objects.filter(batch__number=3, status="submitted").exists()


def test_without_demo_resources_no_batch_is_created():
    output = seed(resources=0)

    assert not Batch.objects.exists()
    assert "Batches: none created" in output
