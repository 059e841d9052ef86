"""The demo tells the truth about today: ``seed_demo --today`` dates its past before that day and
only its plans after, whatever the day, and two days give the same demo, moved."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from core.models import ChangeRecord, Event
from openness.models import Batch, Entry
from pilots.models import PilotProject, Scenario, ServicePlatform
from registry.demo_timeline import (
    EARLIEST_TODAY,
    PLAN_START,
    REFERENCE_TODAY,
    Timeline,
    at,
    start_of,
)
from registry.models import Platform, Resource

TODAY = date(2026, 12, 2)
LATER = date(2027, 3, 15)  # batch 2 and the second pilot round then fall in 2027
# The reference today, early in 2026 (the past compressed), a later year, and after the plan.
TODAYS = [TODAY, date(2026, 3, 10), LATER, date(2029, 6, 1)]


def seed(today: date, **options: Any) -> str:
    out = StringIO()
    options = {"resources": 150, **options}
    call_command("seed_demo", today=today, no_progress=True, stdout=out, **options)
    return out.getvalue()


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


# The timeline -----------------------------------------------------------------------------------


def test_on_the_reference_today_the_story_keeps_its_dates():
    timeline = Timeline(REFERENCE_TODAY)

    assert timeline.moment(at(5, 20, 10)) == at(5, 20, 10)
    assert timeline.moment(at(12, 15, 18)) == at(12, 15, 18)
    assert timeline.day(date(2026, 6, 18)) == date(2026, 6, 18)
    assert timeline.scale == 1


def test_a_later_today_moves_the_past_and_the_future_by_the_same_days():
    timeline, delta = Timeline(LATER), LATER - REFERENCE_TODAY

    assert timeline.moment(at(5, 20, 10)) == at(5, 20, 10) + delta
    assert timeline.moment(at(12, 15, 18)) == at(12, 15, 18) + delta
    assert timeline.day(date(2026, 6, 18)) == date(2026, 6, 18) + delta
    assert timeline.year(at(9, 25, 10)) == 2027


def test_early_in_2026_the_past_is_compressed_into_the_plan_period_and_the_future_is_not():
    timeline = Timeline(date(2026, 3, 10))

    assert 0 < timeline.scale < 1
    assert timeline.moment(at(1, 1, 0, year=2026)) == start_of(PLAN_START)
    assert start_of(PLAN_START) < timeline.moment(at(5, 20, 10)) < timeline.start
    assert timeline.moment(at(5, 20)) < timeline.moment(at(9, 25)) < timeline.moment(at(11, 30))
    assert timeline.moment(at(12, 15, 18)) == timeline.start + (at(12, 15, 18) - at(12, 2, 0))


def test_a_today_before_february_2026_is_refused():
    with pytest.raises(ValueError, match="2026-02-01"):
        Timeline(EARLIEST_TODAY - timedelta(days=1))


@pytest.mark.django_db
def test_seed_demo_refuses_such_a_today_and_a_malformed_one():
    with pytest.raises(CommandError, match="2026-02-01 or later"):
        seed(date(2026, 1, 20))
    with pytest.raises(CommandError, match="not a date"):
        call_command("seed_demo", "--today", "2 December", stdout=StringIO())
    assert not Platform.objects.exists()


@pytest.mark.django_db
def test_by_default_the_demo_stands_on_today_in_the_time_zone():
    out = StringIO()
    call_command("seed_demo", resources=60, no_progress=True, stdout=out)

    start = start_of(timezone.localdate())
    assert Batch.objects.get(status="open").submission_closes_at > start
    assert Event.objects.latest("id").occurred_at < start


# The demo on a given today ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_the_demo_of_a_day_has_happened_before_it_and_has_only_plans_after_it(today):
    seed(today)

    assert_nothing_is_dated_after(today)
    assert_exactly_one_batch_is_open_past(today)
    assert_no_pilot_is_selected_after(today)


def assert_nothing_is_dated_after(today: date) -> None:
    """Nothing the demo dates is after today, except a plan: batch 3's window closing, the
    milestones still to come."""
    start, tomorrow = start_of(today), start_of(today + timedelta(days=1))

    for platform in Platform.objects.all():
        assert start_of(PLAN_START) <= platform.created_at < start
    for created, updated in Resource.objects.values_list("created_at", "updated_at"):
        assert start_of(PLAN_START) <= created <= updated < start
    assert max(Event.objects.values_list("occurred_at", flat=True)) < start
    assert max(ChangeRecord.objects.values_list("at", flat=True)) < start
    for entry in Entry.objects.all():
        moments = [entry.submitted_at, entry.decided_at, entry.listed_at, entry.withdrawn_at]
        assert all(moment < start for moment in moments if moment is not None)
    for scenario in Scenario.objects.exclude(implementable_at=None):
        assert scenario.implementable_at < start
    for launched in ServicePlatform.objects.values_list("launched_year", flat=True):
        assert launched <= today.year
    for pilot in PilotProject.objects.all():
        for milestone in pilot.milestones:
            day = date.fromisoformat(milestone["date"])
            if milestone["done"]:
                assert day < today, pilot.code
            elif pilot.status in ("proposed", "selected", "in_progress"):
                assert day >= today, pilot.code  # still to come: a plan
    assert not Batch.objects.filter(published_at__gte=tomorrow).exists()


def assert_exactly_one_batch_is_open_past(today: date) -> None:
    """Batches 1 and 2 are published; batch 3 is open, its window running past today, with
    submissions waiting for review."""
    start = start_of(today)

    published = Batch.objects.filter(status="published")
    assert list(published.values_list("number", flat=True)) == [1, 2]
    for batch in published:
        assert batch.published_at < start
        assert batch.year == local(batch.published_at).year
        assert f"〔{batch.year}〕" in batch.document_reference
    (open_batch,) = Batch.objects.exclude(status="published")
    assert (open_batch.number, open_batch.status) == (3, "open")
    assert open_batch.published_at is None
    assert open_batch.submission_opens_at < start < open_batch.submission_closes_at
    assert open_batch.year == local(open_batch.submission_opens_at).year
    assert open_batch.entries.filter(status="submitted").exists()


def assert_no_pilot_is_selected_after(today: date) -> None:
    """No pilot is selected in a year after today's, nor before batch 1 was published."""
    first_publication = Batch.objects.get(number=1).published_at

    pilots = PilotProject.objects.all()
    assert pilots.exclude(status="proposed").exists()
    years = set(pilots.exclude(year_selected=None).values_list("year_selected", flat=True))
    assert years
    assert max(years) <= today.year
    assert min(years) >= local(first_publication).year
    assert not pilots.filter(status="proposed").exclude(year_selected=None).exists()
    assert not pilots.exclude(status="proposed").filter(year_selected=None).exists()
    # What a selected pilot uses was listed before it was selected: in a batch published by then.
    for pilot in pilots.exclude(status="proposed").prefetch_related("resources__entries__batch"):
        for resource in pilot.resources.all():
            listed = [e.batch.published_at for e in resource.entries.all() if e.batch.published_at]
            assert local(min(listed)).year <= pilot.year_selected


# Two todays -------------------------------------------------------------------------------------


def rows() -> dict[str, list[tuple[Any, ...]]]:
    """What the demo wrote, by natural keys (the ids of a second run differ)."""
    return {
        "platforms": sorted(Platform.objects.values_list("slug", "created_at", "updated_at")),
        "resources": sorted(
            (str(pk), *rest)
            for pk, *rest in Resource.objects.values_list(
                "pk", "name", "status", "version", "created_at", "updated_at"
            )
        ),
        "batches": list(
            Batch.objects.order_by("number").values_list(
                "number",
                "status",
                "submission_opens_at",
                "submission_closes_at",
                "published_at",
                "created_at",
            )
        ),
        "entries": sorted(
            (number, str(resource), *rest)
            for number, resource, *rest in Entry.objects.values_list(
                "batch__number",
                "resource_id",
                "status",
                "sequence",
                "reason",
                "submitted_at",
                "decided_at",
                "listed_at",
                "withdrawn_at",
            )
        ),
        "events": list(Event.objects.order_by("id").values_list("type", "occurred_at")),
        # Auto-numbered subjects (entries, pilots' rows) by their model only: a sequence is not
        # rolled back with the savepoint on PostgreSQL, so their ids differ between two seedings.
        "changes": sorted(
            (action, model, None if subject.isdigit() else subject, at)
            for action, model, subject, at in ChangeRecord.objects.values_list(
                "action", "subject_type__model", "subject_id", "at"
            )
        ),
        "scenarios": list(
            Scenario.objects.order_by("code").values_list("code", "maturity", "implementable_at")
        ),
        "service_platforms": sorted(ServicePlatform.objects.values_list("slug", "operator__slug")),
        "pilots": list(
            PilotProject.objects.order_by("code").values_list(
                "code", "status", "region_id", "participants", "milestones"
            )
        ),
        "pilot_resources": sorted(
            (code, str(rid))
            for code, rid in PilotProject.resources.through.objects.values_list(
                "pilotproject__code", "resource_id"
            )
        ),
    }


def years() -> dict[str, Any]:
    return {
        "batches": list(Batch.objects.order_by("number").values_list("number", "year")),
        "pilots": dict(PilotProject.objects.values_list("code", "year_selected")),
        "service_platforms": set(ServicePlatform.objects.values_list("launched_year", flat=True)),
    }


def moved(value: Any, delta: timedelta) -> Any:
    """``value`` with every time and date in it moved by ``delta``."""
    if isinstance(value, datetime):
        return value + delta
    if isinstance(value, (tuple, list)):
        return type(value)(moved(item, delta) for item in value)
    if isinstance(value, dict):
        if set(value) == {"title", "date", "done"}:  # a milestone
            return {**value, "date": (date.fromisoformat(value["date"]) + delta).isoformat()}
        return {key: moved(item, delta) for key, item in value.items()}
    return value


class Rollback(Exception):
    pass


def rows_on(today: date) -> tuple[dict[str, list[tuple[Any, ...]]], dict[str, Any]]:
    """The rows the demo writes as of ``today`` and their years, written in a savepoint and
    rolled back."""
    try:
        with transaction.atomic():
            seed(today)
            written = rows(), years()
            raise Rollback
    except Rollback:
        pass
    assert not Platform.objects.exists()
    return written


@pytest.mark.django_db
def test_two_todays_give_the_same_demo_moved_by_the_days_between_its_years_following():
    (first, first_years), (later, later_years) = rows_on(TODAY), rows_on(LATER)

    assert later == moved(first, LATER - TODAY)
    published_at = later["batches"][0][4]
    assert published_at == datetime(2026, 8, 31, 2, tzinfo=UTC)  # 20 May 10:00 Beijing + 103 days
    assert first_years["batches"] == [(1, 2026), (2, 2026), (3, 2026)]
    assert later_years["batches"] == [(1, 2026), (2, 2027), (3, 2027)]
    pilots = first_years["pilots"], later_years["pilots"]
    assert [(y["PILOT-001"], y["PILOT-021"], y["PILOT-035"]) for y in pilots] == [
        (2026, 2026, None),
        (2026, 2027, None),
    ]
    assert first_years["service_platforms"] == later_years["service_platforms"] == {2026}
