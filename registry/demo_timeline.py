"""When the demo happens: its story is written on a reference calendar and moved to today.

``manage.py seed_demo`` shows the programme as it stands *today*: what is in the past has happened,
what is ahead is a plan. Its generators (``registry.demo``, ``openness.demo``, ``pilots.demo``)
write one story, dated on a reference calendar on which today is ``REFERENCE_TODAY``
(2 December 2026): the platforms join from January 2026, batch 1 is published in May and batch 2
in September, batch 3 has been open since mid-November and its window closes in mid-December.
``Timeline(today)`` moves each reference moment to the real calendar:

* **the past** (a reference moment before ``REFERENCE_TODAY``) keeps its distance from today: it is
  shifted by ``today - REFERENCE_TODAY``, whole days, so two todays give the same demo, moved;
* **the future** (the plans: batch 3's window closing, milestones still to come) keeps its
  distance from today too;
* **early in 2026**, when the story's past (``REFERENCE_TODAY - PLAN_START``, 335 days) does not
  fit between the start of the plan period and today, the past is compressed to fit, in the same
  order: the demo never begins before the plan (``PLAN_START``, 1 January 2026). Before
  ``EARLIEST_TODAY`` (1 February 2026) there is too little past for the story, and a timeline is
  refused;
* **after 2028** nothing is clamped: the story keeps its shape and moves on with today, so the
  registry keeps running after the plan period (its batches' and pilots' years may then be after
  2028, which the plan's per-year figures leave out).

Days begin at midnight in ``TIME_ZONE``; everything the story dates in the past lies before the
start of today, and a year is the year in ``TIME_ZONE`` (as the stats count it). The reference
moments themselves are written in Beijing time (``at``), office hours of the regulator.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

BEIJING = ZoneInfo("Asia/Shanghai")
PLAN_START = date(2026, 1, 1)
REFERENCE_TODAY = date(2026, 12, 2)
EARLIEST_TODAY = date(2026, 2, 1)


def at(month: int, day: int, hour: int = 9, minute: int = 0, *, year: int = 2026) -> datetime:
    """A moment of the reference story in Beijing time (stored as UTC)."""
    return datetime(year, month, day, hour, minute, tzinfo=BEIJING).astimezone(UTC)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in ``TIME_ZONE``, in UTC."""
    return datetime.combine(day, time(), tzinfo=_zone()).astimezone(UTC)


@dataclass(frozen=True)
class Timeline:
    """The reference story moved to ``today`` (see the module's docstring)."""

    today: date

    def __post_init__(self) -> None:
        if self.today < EARLIEST_TODAY:
            raise ValueError(
                f"The demo needs a today from {EARLIEST_TODAY.isoformat()} on (the plan period "
                f"begins on {PLAN_START.isoformat()}), got {self.today.isoformat()}."
            )

    @property
    def start(self) -> datetime:
        """The start of today: the story's past lies before it."""
        return start_of(self.today)

    @property
    def scale(self) -> float:
        """How much the past is compressed: 1 unless today is early in the plan period."""
        wanted = start_of(REFERENCE_TODAY) - start_of(PLAN_START)
        return min(1.0, (self.start - start_of(PLAN_START)) / wanted)

    def moment(self, reference: datetime) -> datetime:
        """Where the reference moment ``reference`` falls (UTC, to the second)."""
        offset = reference - start_of(REFERENCE_TODAY)
        if offset < timedelta(0):
            offset *= self.scale
        return (self.start + offset).replace(microsecond=0)

    def day(self, reference: date) -> date:
        """Where the reference day ``reference`` falls (its noon, in Beijing time)."""
        noon = datetime.combine(reference, time(12), tzinfo=BEIJING)
        return self.moment(noon).astimezone(_zone()).date()

    def year(self, reference: datetime) -> int:
        """The year (in ``TIME_ZONE``) of where ``reference`` falls."""
        return self.moment(reference).astimezone(_zone()).year

    def is_past(self, reference: datetime) -> bool:
        return reference < start_of(REFERENCE_TODAY)
