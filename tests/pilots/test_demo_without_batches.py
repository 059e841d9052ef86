"""``seed_demo --no-batches`` writes no pilots: they use resources listed in a published batch. In
an empty database of its own (the demo that test_demo.py reads is written once for its tests)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from pilots.models import PilotProject, Scenario

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)


def test_no_batches_means_no_pilots_either():
    call_command(
        "seed_demo",
        resources=150,
        today=TODAY,
        no_batches=True,
        no_progress=True,
        stdout=StringIO(),
    )

    assert not PilotProject.objects.exists()
    assert not Scenario.objects.exists()
