"""What the exports share: CSV as spreadsheet programs read it, written as the rows come, and how
the schema describes a download (its ``format=`` and its bodies, from the view's renderers)."""

import csv
from collections.abc import Iterable, Iterator
from itertools import batched
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from config.api.renderers import DownloadRenderer

# UTF-8 with a byte-order mark: without it, spreadsheet programs read the Chinese as mojibake.
BOM = "\ufeff"


class _Echo:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, text: str) -> str:
        return text


def csv_stream(headings: list[str], rows: Iterable[list[Any]], batch: int = 500) -> Iterator[bytes]:
    """The headings and the ``rows`` as CSV (None as an empty cell), ``batch`` rows a chunk."""
    writer = csv.writer(_Echo())
    yield (BOM + writer.writerow(headings)).encode()
    for group in batched(rows, batch):
        lines = (
            writer.writerow(["" if value is None else value for value in row]) for row in group
        )
        yield "".join(lines).encode()


def format_parameter(renderers: list[type[DownloadRenderer]]) -> OpenApiParameter:
    """``format=``, with the formats the view's renderers offer."""
    return OpenApiParameter(
        "format", str, enum=[renderer.format for renderer in renderers], required=False
    )


def download_responses(
    renderers: list[type[DownloadRenderer]], description: str
) -> dict[tuple[int, str], OpenApiResponse]:
    """The 200 answer in each of the renderers' media types."""
    return {
        (200, renderer.media_type): OpenApiResponse(
            OpenApiTypes.BINARY if renderer.binary else OpenApiTypes.STR, description=description
        )
        for renderer in renderers
    }
