/**
 * What an integrator does with a client generated from docs/openapi.yaml by openapi-typescript,
 * called through openapi-fetch: list with filters and facets, follow the pages to the end,
 * revalidate with an ETag, and (as a publisher) create a resource and change it with If-Match.
 *
 *   REGISTRY_URL=http://127.0.0.1:8000 REGISTRY_PUBLISHER_TOKEN=opr_… REGISTRY_PLATFORM=yunqi \
 *     npm run --silent check
 *
 * It prints one line per check, then "all checks passed"; on the first answer that is not as
 * documented (docs/api-conventions.md) it says why and exits 1.
 */
import createClient, { type Client } from "openapi-fetch";
import type { paths, components } from "./generated/schema.js";

type Registry = Client<paths>;
type Schemas = components["schemas"];
type Problem = Schemas["Problem"];
type ResourceQuery = NonNullable<paths["/api/v1/resources/"]["get"]["parameters"]["query"]>;
type Facets = NonNullable<Schemas["PaginatedResourceList"]["facets"]>;

// Data resources with a free quota, available in Guangdong (nationwide ones included).
const TYPE: Schemas["ResourceTypeEnum"] = "data";
const ACCESS_MODEL: Schemas["AccessModelEnum"] = "free_quota";
const REGION: Schemas["RegionsEnum"] = "440000";
const PAGE_SIZE = 4;

class NotAsDocumented extends Error {}

function check(condition: boolean, why: string): asserts condition {
    if (!condition) throw new NotAsDocumented(why);
}

function setting(name: string): string {
    const value = process.env[name];
    if (value === undefined || value === "") throw new Error(`${name} is not set`);
    return value;
}

/** "412 Precondition Failed: …": the answer, for a message saying it was not the one expected. */
function answer(response: Response, problem?: Problem): string {
    const detail = problem ? `: ${problem.detail}` : "";
    return `${response.status} ${problem?.title ?? response.statusText}${detail}`;
}

/** The target of the `Link` header's rel="next" link (RFC 8288), if it has one. */
function linkNext(response: Response): string | undefined {
    return /<([^>]*)>\s*;\s*rel="next"/.exec(response.headers.get("Link") ?? "")?.[1];
}

/** How many resources `value` of `facet` would select. */
function facetCount(facets: Facets | undefined, facet: keyof Facets, value: string): number {
    const buckets = facets?.[facet];
    check(buckets !== undefined, `the first page has no "${facet}" facet`);
    for (const bucket of buckets) {
        check(Number.isInteger(bucket.count) && bucket.count >= 0, `${facet}=${bucket.value}: ${bucket.count}`);
    }
    return buckets.find((bucket) => bucket.value === value)?.count ?? 0;
}

/** 1 and 2: the filtered list with its facets, followed page by page to the end. */
async function listEveryPage(registry: Registry): Promise<string[]> {
    const seen = new Set<string>();
    let facets: Facets | undefined;
    let cursor: string | null = null;
    let pages = 0;
    do {
        const query: ResourceQuery = {
            type: [TYPE],
            access_model: [ACCESS_MODEL],
            region: [REGION],
            facets: ["type", "region", "access_model"],
            page_size: PAGE_SIZE,
        };
        if (cursor !== null) query.cursor = cursor;
        const { data, error, response } = await registry.GET("/api/v1/resources/", {
            params: { query },
        });
        check(data !== undefined, `GET /api/v1/resources/ answered ${answer(response, error)}`);
        pages += 1;
        facets ??= data.facets;
        check(data.results.length <= PAGE_SIZE, `page ${pages} has more than ${PAGE_SIZE} resources`);
        for (const resource of data.results) {
            check(!seen.has(resource.id), `resource ${resource.id} is listed twice`);
            seen.add(resource.id);
            check(
                resource.resource_type === TYPE &&
                    resource.access_model === ACCESS_MODEL &&
                    (resource.nationwide || resource.regions.includes(REGION)),
                `resource ${resource.id} does not match the filters`,
            );
        }
        // The Link header's rel="next" and the body's `next` are the same link, or both absent.
        const link = linkNext(response);
        check(link === (data.next ?? undefined), `page ${pages}: Link's next ${link}, the body's ${data.next}`);
        // openapi-fetch calls the document's paths, not URLs: the next page is asked for with the
        // opaque cursor of the `next` link (which repeats the filters, as `query` does).
        cursor = data.next === null ? null : new URL(data.next).searchParams.get("cursor");
        check(data.next === null || cursor !== null, `the next link ${data.next} has no cursor`);
    } while (cursor !== null);
    check(seen.size > 0, "the filtered list is empty: nothing to check");
    console.log(`list: ${seen.size} ${TYPE} resources (${ACCESS_MODEL}, in ${REGION}), all matching`);

    // A facet honours every other filter but not its own, so its count for the value filtered on
    // is the length of the list itself.
    const filtered = [["type", TYPE], ["region", REGION], ["access_model", ACCESS_MODEL]] as const;
    for (const [facet, value] of filtered) {
        const count = facetCount(facets, facet, value);
        check(count === seen.size, `facet ${facet}=${value} counts ${count}, the list holds ${seen.size}`);
    }
    console.log(`facets: type, region and access_model count ${seen.size} for the values filtered on`);
    console.log(`pages: ${pages} of at most ${PAGE_SIZE}, Link rel="next" as the body's next, none twice`);
    return [...seen];
}

/** 3: with the ETag it holds, a client is answered 304 and needs no body. */
async function revalidate(registry: Registry, id: string): Promise<void> {
    const first = await registry.GET("/api/v1/resources/{id}/", { params: { path: { id } } });
    check(first.data !== undefined, `GET the resource answered ${answer(first.response, first.error)}`);
    const etag = first.response.headers.get("ETag");
    check(etag !== null, "GET the resource has no ETag");

    const again = await registry.GET("/api/v1/resources/{id}/", {
        params: { path: { id }, header: { "If-None-Match": etag } },
    });
    // openapi-fetch types 2xx answers (`data`) and 4xx/5xx ones (`error`): the documented 304 is
    // neither, so it is told by its status, and carries no body.
    check(again.response.status === 304, `If-None-Match answered ${answer(again.response, again.error)}`);
    check(again.data === undefined && (await again.response.text()) === "", "the 304 has a body");
    check(again.response.headers.get("ETag") === etag, "the 304 does not repeat the ETag");
    console.log(`conditional GET: ${etag} revalidated, 304 with no body`);
}

/** 4: a publisher creates a draft, changes it with If-Match, and is refused a stale ETag. */
async function createAndChange(publisher: Registry, platform: string): Promise<void> {
    const draft: Schemas["ResourceDataWriteRequest"] = {
        platform,
        resource_type: "data",
        name: "客户端检查数据集",
        name_en: "Client check data set",
        access_model: "open",
        regions: [REGION],
        attributes: { formats: ["csv"], update_frequency: "monthly", classification_level: "general" },
    };
    const created = await publisher.POST("/api/v1/resources/", { body: draft });
    check(
        created.response.status === 201 && created.data !== undefined,
        `POST /api/v1/resources/ answered ${answer(created.response, created.error)}`,
    );
    const { id, version } = created.data;
    const etag = created.response.headers.get("ETag");
    check(created.data.status === "draft", `the new resource is ${created.data.status}, not a draft`);
    check(created.data.platform.slug === platform, `the new resource is ${created.data.platform.slug}'s`);
    check(etag?.startsWith(`"${version}.`) === true, `the new resource's ETag ${etag} is not "${version}.…"`);
    console.log(`create: draft ${id} on ${platform}, ETag ${etag}`);

    const description = "Changed by the generated TypeScript client's check.";
    const patched = await publisher.PATCH("/api/v1/resources/{id}/", {
        params: { path: { id }, header: { "If-Match": etag } },
        body: { description },
    });
    check(patched.data !== undefined, `PATCH answered ${answer(patched.response, patched.error)}`);
    const newEtag = patched.response.headers.get("ETag");
    check(patched.data.description === description, "PATCH did not change the description");
    check(patched.data.version === version + 1, `PATCH made version ${patched.data.version}`);
    check(newEtag !== null && newEtag !== etag, `PATCH answered the ETag ${newEtag}`);
    console.log(`patch: description changed, version ${patched.data.version}, ETag ${newEtag}`);

    const stale = await publisher.PATCH("/api/v1/resources/{id}/", {
        params: { path: { id }, header: { "If-Match": etag } },
        body: { description: "A change made to a stale copy." },
    });
    const contentType = stale.response.headers.get("Content-Type") ?? "";
    check(stale.response.status === 412, `a stale If-Match answered ${answer(stale.response, stale.error)}`);
    check(contentType.startsWith("application/problem+json"), `the 412 is ${contentType}, not problem+json`);
    check(stale.error?.status === 412, "the 412's problem detail does not say 412");
    console.log(`stale If-Match: 412, ${stale.error.type}`);

    // Leave the registry as it was: a draft may be deleted.
    const deleted = await publisher.DELETE("/api/v1/resources/{id}/", { params: { path: { id } } });
    check(deleted.response.status === 204, `DELETE answered ${answer(deleted.response, deleted.error)}`);
    console.log(`delete: draft ${id} deleted`);
}

async function main(): Promise<void> {
    const baseUrl = setting("REGISTRY_URL");
    const headers = { "Accept-Language": "en" }; // problem details in English
    const anonymous = createClient<paths>({ baseUrl, headers });
    const publisher = createClient<paths>({
        baseUrl,
        headers: { ...headers, Authorization: `Bearer ${setting("REGISTRY_PUBLISHER_TOKEN")}` },
    });
    const platform = setting("REGISTRY_PLATFORM");

    const [id] = await listEveryPage(anonymous);
    check(id !== undefined, "no resource to read");
    await revalidate(anonymous, id);
    await createAndChange(publisher, platform);
    console.log("all checks passed");
}

main().catch((failure: unknown) => {
    if (failure instanceof NotAsDocumented) {
        console.log(`not as documented: ${failure.message}`);
    } else {
        // A missing setting, or the registry out of reach (fetch's error says why in its cause).
        const cause = failure instanceof Error && failure.cause ? ` (${String(failure.cause)})` : "";
        console.log(`failed: ${failure instanceof Error ? failure.message : String(failure)}${cause}`);
    }
    process.exitCode = 1;
});
