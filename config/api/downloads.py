"""What the exports share: CSV as spreadsheet programs read it, written as the rows come."""

import csv
from collections.abc import Iterable, Iterator
from itertools import batched
from typing import Any

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
