"""The demo clock (``openness.demo``): the demo's history happens on the dates its story sets."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone


class Clock:
    """What ``timezone.now()`` answers while the demo batches are written."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


@contextmanager
def demo_clock(start: datetime) -> Iterator[Clock]:
    """Runs the block on a demo clock: ``django.utils.timezone.now`` answers ``clock.now``.

    The services stamp their changes, change records and events with ``timezone.now()``; under the
    clock the demo's history happens on the dates the story sets, the same on every run with the
    same today. The function is
    replaced only for the duration of the block (a management command: no other thread runs
    meanwhile), like ``seed_demo``'s ``explicit_timestamps``.
    """
    clock = Clock(start)
    real_now = timezone.now
    timezone.now = clock
    try:
        yield clock
    finally:
        timezone.now = real_now


def spread(count: int, start: datetime, end: datetime) -> list[datetime]:
    """``count`` moments from ``start`` to ``end``, evenly spaced, to the minute."""
    if count <= 1:
        return [start] * count
    step = (end - start) / (count - 1)
    return [(start + step * index).replace(second=0, microsecond=0) for index in range(count)]
