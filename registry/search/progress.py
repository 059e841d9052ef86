"""A progress bar for the commands that read the whole catalogue."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tqdm import tqdm


@contextmanager
def progress_bar(total: int, *, disabled: bool, file: Any) -> Iterator[Callable[[int], None]]:
    with tqdm(total=total, unit="resource", disable=disabled, file=file) as bar:
        yield bar.update
