"""Does a real answer have the shape the docs show? Keys, kinds of values, and the stable values.

A JSON value shown in the docs is an illustration: its ids, dates, names and URLs are an example's,
not the registry's of today. What integrators rely on must match all the same:

- every key the docs show is in the answer (the answer may have more: adding fields is allowed);
- each value is of the same kind (object, array, string, number, boolean, null), recursively; an
  array's items are compared with the answer's items at the same places;
- the values of ``STABLE_KEYS`` — problem ``type`` URIs, event and subject ``type``\\s, error
  ``code``\\s and ``attr``\\s, ``status``\\es — are equal.
"""

from typing import Any

STABLE_KEYS = frozenset({"type", "code", "attr", "status"})


def shape_differences(shown: Any, real: Any, where: str = "") -> list[str]:
    """What in ``real`` differs from the shape of ``shown``, one line each (none: the same)."""
    here = where or "the answer"
    if _kind(shown) != _kind(real):
        return [f"{here}: the docs show {_kind(shown)} {shown!r:.80}, the answer has {real!r:.200}"]
    if isinstance(shown, dict):
        differences = []
        for key, value in shown.items():
            path = f"{where}.{key}" if where else key
            if key not in real:
                differences.append(f"{path}: shown in the docs, missing from the answer")
            elif key in STABLE_KEYS and _kind(value) not in ("an object", "an array"):
                if value != real[key]:
                    differences.append(f"{path}: the docs show {value!r}, the answer {real[key]!r}")
            else:
                differences.extend(shape_differences(value, real[key], path))
        return differences
    if isinstance(shown, list):
        differences = []
        for index, item in enumerate(shown):
            path = f"{where}[{index}]"
            if index >= len(real):
                differences.append(f"{path}: shown in the docs, the answer has {len(real)} items")
            else:
                differences.extend(shape_differences(item, real[index], path))
        return differences
    return []


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
