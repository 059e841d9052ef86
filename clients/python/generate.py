"""Generate the Python client from the committed OpenAPI document with openapi-python-client.

    python clients/python/generate.py    # writes clients/python/generated/registry_client

One adaptation, for a limitation of openapi-python-client 0.29: an operation that anyone may call
and that a signed-in caller may call with their credentials declares ``security: [{bearerAuth:
[]}, {cookieAuth: []}, {}]`` (``{}``: no credentials needed, as OpenAPI specifies), but the
generator treats any non-empty list as "credentials required" and types the operation as needing
an ``AuthenticatedClient`` (openapi-generators/openapi-python-client#1372). Such operations are
given to it without ``security``: they then take a ``Client`` or an ``AuthenticatedClient``, which
is what the document means. Nothing else is changed.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DOCUMENT = HERE.parent.parent / "docs" / "openapi.yaml"
GENERATED = HERE / "generated"
METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")


def anonymous_allowed_without_security(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with no ``security`` on the operations whose security allows anonymity."""
    for path_item in document["paths"].values():
        for method in METHODS:
            operation = path_item.get(method)
            if operation is not None and {} in operation.get("security", []):
                del operation["security"]
    return document


def main() -> None:
    document = anonymous_allowed_without_security(yaml.safe_load(DOCUMENT.read_text()))
    GENERATED.mkdir(exist_ok=True)
    adapted = GENERATED / "openapi.json"
    adapted.write_text(json.dumps(document, ensure_ascii=False, indent=1))
    subprocess.run(  # noqa: S603  (the generator installed beside this interpreter)
        [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            f"--path={adapted}",
            f"--config={HERE / 'config.yaml'}",
            f"--output-path={GENERATED / 'registry_client'}",
            "--meta=none",
            "--overwrite",
        ],
        check=True,
    )


if __name__ == "__main__":
    main()
