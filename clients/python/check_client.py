"""What an integrator does with the Python client generated from docs/openapi.yaml.

    REGISTRY_URL=http://127.0.0.1:8000 REGISTRY_PUBLISHER_TOKEN=… REGISTRY_PLATFORM=yunqi \
        PYTHONPATH=clients/python/generated python clients/python/check_client.py

Generate the client first (``python clients/python/generate.py``). Type-checked with
``mypy --strict``; run by tests/clients against a registry with the demo data. It prints one line
per check and ``all checks passed``, or stops at the first answer that is not as documented.
"""

import os
import sys
from typing import NoReturn
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from registry_client import AuthenticatedClient, Client
from registry_client.api.resources import (
    resources_create,
    resources_destroy,
    resources_list,
    resources_partial_update,
    resources_retrieve,
)
from registry_client.models import (
    AccessModelEnum,
    PaginatedResourceList,
    PaginatedResourceListFacets,
    PatchedResourceWriteRequest,
    Problem,
    RegionsEnum,
    ResourceDataWriteRequest,
    ResourceDataWriteRequestDataAttributes,
    ResourceDataWriteRequestDataAttributesClassificationLevel,
    ResourceDataWriteRequestDataAttributesFormatsItem,
    ResourceDataWriteRequestDataAttributesUpdateFrequency,
    ResourcesListFacetsItem,
    ResourceTypeEnum,
)
from registry_client.types import UNSET, Response

GUANGDONG = RegionsEnum("440000")
PAGE_SIZE = 5


def fail(why: str) -> NoReturn:
    print(f"FAILED: {why}")
    sys.exit(1)


def check(condition: bool, why: str) -> None:
    if not condition:
        fail(why)


def next_cursor(page: PaginatedResourceList) -> str | None:
    """The ``cursor`` of the next page's URL (the client takes the cursor, not the URL)."""
    if page.next_ is None:
        return None
    return parse_qs(urlsplit(page.next_).query)["cursor"][0]


def listed_page(response: Response[object]) -> PaginatedResourceList:
    if not isinstance(response.parsed, PaginatedResourceList):
        fail(f"listing answered {response.status_code}: {response.content[:500]!r}")
    return response.parsed


def list_with_filters_and_facets(anonymous: Client) -> None:
    page = listed_page(
        resources_list.sync_detailed(
            client=anonymous,
            type_=[ResourceTypeEnum.DATA],
            region=[GUANGDONG],
            facets=[ResourcesListFacetsItem.ACCESS_MODEL, ResourcesListFacetsItem.REGION],
        )
    )
    check(bool(page.results), "the demo has data resources open in Guangdong")
    for resource in page.results:
        check(resource.resource_type == ResourceTypeEnum.DATA, f"{resource.id} is not data")
        check(
            resource.nationwide or GUANGDONG in resource.regions,
            f"{resource.id} is not open in Guangdong",
        )
    if not isinstance(page.facets, PaginatedResourceListFacets):
        fail("facets were asked for, and the page has none")
    access_models = page.facets.access_model or []
    check(bool(access_models), "the access_model facet has counts")
    check(all(item.count > 0 for item in access_models), "every facet count is positive")
    print(f"listed {len(page.results)} data resources open in Guangdong, with facets")


def follow_pages_to_the_end(anonymous: Client) -> None:
    seen: set[UUID] = set()
    pages = 0
    cursor: str | None = None
    while True:
        response = resources_list.sync_detailed(
            client=anonymous,
            type_=[ResourceTypeEnum.DATA],
            page_size=PAGE_SIZE,
            cursor=UNSET if cursor is None else cursor,
        )
        page = listed_page(response)
        pages += 1
        ids = {resource.id for resource in page.results}
        check(not ids & seen, f"page {pages} repeats a resource")
        seen |= ids
        cursor = next_cursor(page)
        link = response.headers.get("Link", "")
        if cursor is None:
            check('rel="next"' not in link, "the last page links no next page")
            break
        check('rel="next"' in link, f"page {pages} has a next page: its Link header says so")
    check(pages > 1, f"{len(seen)} data resources fill more than one page of {PAGE_SIZE}")
    print(f"followed {pages} pages to the end: {len(seen)} resources, none twice")


def revalidate(anonymous: Client) -> None:
    page = listed_page(resources_list.sync_detailed(client=anonymous, page_size=1))
    check(bool(page.results), "the demo lists resources")
    resource_id = page.results[0].id
    first = resources_retrieve.sync_detailed(resource_id, client=anonymous)
    etag = first.headers.get("ETag")
    check(first.status_code == 200 and etag is not None, "a resource is read with its ETag")
    assert etag is not None
    again = resources_retrieve.sync_detailed(resource_id, client=anonymous, if_none_match=etag)
    check(again.status_code == 304, f"If-None-Match answered {again.status_code}, not 304")
    check(again.parsed is None and again.content == b"", "a 304 has no body")
    print("a conditional GET of an unchanged resource answered 304 Not Modified")


def create_and_patch(publisher: AuthenticatedClient, platform: str) -> None:
    draft = ResourceDataWriteRequest(
        platform=platform,
        resource_type=ResourceTypeEnum.DATA,
        name="客户端检查数据集",
        access_model=AccessModelEnum.OPEN,
        regions=[GUANGDONG],
        attributes=ResourceDataWriteRequestDataAttributes(
            formats=[ResourceDataWriteRequestDataAttributesFormatsItem.CSV],
            update_frequency=ResourceDataWriteRequestDataAttributesUpdateFrequency.MONTHLY,
            classification_level=ResourceDataWriteRequestDataAttributesClassificationLevel.GENERAL,
        ),
    )
    created = resources_create.sync_detailed(client=publisher, body=draft)
    if isinstance(created.parsed, Problem) or created.parsed is None:
        fail(f"creating answered {created.status_code}: {created.content[:500]!r}")
    resource = created.parsed
    etag = created.headers.get("ETag")
    check(created.status_code == 201 and etag is not None, "a created resource has an ETag")
    assert etag is not None

    change = PatchedResourceWriteRequest(description="由生成的 Python 客户端修改。")
    patched = resources_partial_update.sync_detailed(
        resource.id, client=publisher, body=change, if_match=etag
    )
    if isinstance(patched.parsed, Problem) or patched.parsed is None:
        fail(f"patching answered {patched.status_code}: {patched.content[:500]!r}")
    check(patched.parsed.description == change.description, "the patch changed the description")
    check(patched.parsed.version == resource.version + 1, "the patch made a new version")
    check(patched.headers.get("ETag") not in (None, etag), "the new version has a new ETag")

    stale = resources_partial_update.sync_detailed(
        resource.id, client=publisher, body=change, if_match=etag
    )
    check(stale.status_code == 412, f"a stale If-Match answered {stale.status_code}, not 412")
    check(isinstance(stale.parsed, Problem), "the 412 is a problem detail")
    print(f"created resource {resource.id}, patched it with If-Match; a stale ETag is refused")

    # Leave the registry as it was: a draft may be deleted.
    deleted = resources_destroy.sync_detailed(resource.id, client=publisher)
    check(deleted.status_code == 204, f"deleting the draft answered {deleted.status_code}")
    print(f"deleted the draft {resource.id}")


def main() -> None:
    base_url = os.environ["REGISTRY_URL"]
    anonymous = Client(base_url=base_url, headers={"Accept-Language": "en"})
    publisher = AuthenticatedClient(
        base_url=base_url,
        token=os.environ["REGISTRY_PUBLISHER_TOKEN"],
        headers={"Accept-Language": "en"},
    )
    list_with_filters_and_facets(anonymous)
    follow_pages_to_the_end(anonymous)
    revalidate(anonymous)
    create_and_patch(publisher, os.environ["REGISTRY_PLATFORM"])
    print("all checks passed")


if __name__ == "__main__":
    main()
