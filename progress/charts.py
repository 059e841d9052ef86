"""Bar geometry for the SVG charts of the ``/progress/`` page, computed on the server.

Positions and widths are percentages of the drawing's width, so an inline ``<svg width="100%">``
scales with the page (a phone or a wide screen) without distorting rounded ends, and no script
or style attribute is needed: the template writes them as ``x`` and ``width`` attributes.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """One piece of a (stacked) bar: ``x`` and ``width`` in percent of the drawing."""

    key: str
    label: str
    value: int
    x: float
    width: float

    @property
    def end(self) -> float:
        return self.x + self.width


def _percent(value: float, scale: float) -> float:
    return round(100 * value / scale, 2) if scale > 0 else 0.0


def bar_width(value: int, maximum: int) -> float:
    """The width of a bar for ``value`` where the longest bar (``maximum``) fills the drawing."""
    return _percent(min(value, maximum), maximum)


def stacked(parts: Iterable[tuple[str, str, int]], scale: int) -> list[Segment]:
    """``(key, label, value)`` parts laid end to end on a drawing ``scale`` wide; empty parts are
    left out."""
    segments: list[Segment] = []
    x = 0.0
    for key, label, value in parts:
        if value <= 0:
            continue
        width = _percent(value, scale)
        segments.append(Segment(key, label, value, round(x, 2), width))
        x += width
    return segments


@dataclass(frozen=True)
class ProgressBar:
    """A target's bar: what each year added, stacked, against the target's marker and the marker
    of the steady pace toward it."""

    segments: Sequence[Segment]
    target_x: float  # where the target's marker stands, in percent
    pace_x: float  # where the pace's marker stands, in percent


def progress_bar(
    parts: Sequence[tuple[str, str, int]], count: int, target: int, expected: int = 0
) -> ProgressBar:
    """The drawing is as wide as the target, or as the count once the count has passed it."""
    scale = max(target, count, 1)
    return ProgressBar(stacked(parts, scale), _percent(target, scale), _percent(expected, scale))
