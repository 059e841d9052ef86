"""The registry's write routes, each with the generic write cases (``tests.api_write_cases``):
platforms and their members, resources and their transitions, registration and API tokens."""

from typing import Any

from django.contrib.auth import get_user_model

from registry.models import ApiToken, Platform, Resource
from tests.api_write_cases import (
    CreateEndpointTests,
    IfMatchOptionalTests,
    IfMatchRequiredTests,
    StatusGuardTests,
    TransitionEndpointTests,
    WriteEndpointTests,
)
from tests.factories import NEW_RESOURCE, ResourceFactory, UserFactory, make_credit_code

#: A resource's writable fields, but its platform (which a write may not change).
RESOURCE_FIELDS = {name: value for name, value in NEW_RESOURCE.items() if name != "platform"}
COMPLETE = {"summary": "面向中小企业", "contact": "sme@example.cn", "industries": ["I"]}
PASSWORD = "correct horse battery staple"
RENAMED = {"name": "新名"}


# Platforms --------------------------------------------------------------------------------------


class TestPlatformCreate(CreateEndpointTests):
    route = "POST platforms/"
    model = Platform
    data = {"slug": "platform-new", "name": "新平台有限公司", "credit_code": make_credit_code(90)}


class PlatformProfileWrite(WriteEndpointTests):
    """A platform's own publishers change its profile; another platform's are refused."""

    allowed, refused = "publisher", "other_publisher"
    data = {"name": "甲平台（新名）", "website": "https://a.example.cn"}

    def make(self) -> Any:
        return self.platform_a


class TestPlatformReplace(PlatformProfileWrite):
    route = "PUT platforms/{slug}/"


class TestPlatformUpdate(PlatformProfileWrite):
    route = "PATCH platforms/{slug}/"


class TestPlatformMemberAdd(CreateEndpointTests):
    route = "POST platforms/{slug}/members/"
    expects_location = False  # a user added, not an object of its own
    data = {"existing": True, "username": "zhang"}

    def make(self) -> Any:
        UserFactory(username="zhang")
        return self.platform_a

    def watched(self, obj: Any) -> list[Any]:
        return [Platform.members.through, get_user_model()]


class TestPlatformMemberRemove(WriteEndpointTests):
    route = "DELETE platforms/{slug}/members/{username}/"
    success_status = 204

    def make(self) -> Any:
        self.platform_a.members.add(UserFactory(username="zhang"))
        return self.platform_a

    def url_keys(self, obj: Any) -> dict[str, Any]:
        return {"slug": obj.slug, "username": "zhang"}

    def watched(self, obj: Any) -> list[Any]:
        return [Platform.members.through]


# Resources --------------------------------------------------------------------------------------


class ResourceWrite(WriteEndpointTests):
    """A platform's publishers write its resources; another platform's are refused."""

    allowed, refused = "publisher", "other_publisher"

    def make(self) -> Any:
        return ResourceFactory(platform=self.platform_a, status="active", name="原名", **COMPLETE)

    def make_draft(self) -> Any:
        return ResourceFactory(platform=self.platform_a, status="draft", **COMPLETE)


class TestResourceCreate(CreateEndpointTests, ResourceWrite):
    route = "POST resources/"
    model = Resource
    data = NEW_RESOURCE

    def make(self) -> Any:
        return None


class ResourceEdit(IfMatchRequiredTests, StatusGuardTests, ResourceWrite):
    """A draft or an active resource is edited at its current version; a withdrawn one is not."""

    def make_in_wrong_status(self) -> Any:
        return ResourceFactory(platform=self.platform_a, status="withdrawn", **COMPLETE)


class TestResourceReplace(ResourceEdit):
    route = "PUT resources/{pk}/"
    data = {**RESOURCE_FIELDS, **RENAMED}


class TestResourceUpdate(ResourceEdit):
    route = "PATCH resources/{pk}/"
    data = RENAMED


class DraftWrite(StatusGuardTests, ResourceWrite):
    """A write to a draft, refused (409) to an active resource."""

    def make(self) -> Any:
        return self.make_draft()

    def make_in_wrong_status(self) -> Any:
        return ResourceWrite.make(self)


class TestResourceDelete(DraftWrite):
    """Only a draft is deleted; another platform's publishers do not see drafts (404), and are
    refused an active resource they see (403, asked before its status)."""

    route = "DELETE resources/{pk}/"
    success_status = 204

    def make_refused(self) -> Any:
        return ResourceWrite.make(self)

    def test_a_draft_is_invisible_to_another_platform(self) -> None:
        self.assert_refused_unchanged("other_publisher", self.make_draft(), 404, None)


class TestResourceActivate(IfMatchOptionalTests, TransitionEndpointTests, DraftWrite):
    """A draft, invisible to another platform's publishers: 404 to them."""

    route = "POST resources/{pk}/activate/"
    refused_status = 404


class TestResourceWithdraw(IfMatchOptionalTests, TransitionEndpointTests, ResourceWrite):
    route = "POST resources/{pk}/withdraw/"
    data = {"reason": "停止开放"}

    def make_in_wrong_status(self) -> Any:
        return self.make_draft()


# Registration and tokens ------------------------------------------------------------------------


class TestRegister(CreateEndpointTests):
    route = "POST auth/register/"
    allowed, refused = "anonymous", None  # anyone may register
    expects_location = audited = False
    model = get_user_model()
    data = {"username": "lanhai-tech", "email": "dev@lanhai.example.cn", "password": PASSWORD}


class TestTokenCreate(CreateEndpointTests):
    """The credentials are in the body: a wrong password is refused (401), whoever asks."""

    route = "POST auth/tokens/"
    allowed = refused = "anonymous"
    refused_status = 401
    expects_location = audited = False
    model = ApiToken
    data = {"username": "lanhai-tech", "password": PASSWORD, "name": "ERP"}

    def make(self) -> None:
        UserFactory(username="lanhai-tech")

    def refused_body(self, obj: Any) -> dict[str, Any]:
        return {**self.data, "password": "wrong password"}


class TestTokenRevoke(WriteEndpointTests):
    """Someone else's token is invisible: 404."""

    route = "DELETE auth/tokens/{pk}/"
    allowed, refused = "sme", "other_sme"
    refused_status = 404
    success_status = 204
    audited = False

    def make(self) -> Any:
        self.user("sme")
        body = {"username": "sme", "password": PASSWORD, "name": "ERP"}
        issued = self.client("anonymous").post("/api/v1/auth/tokens/", body, format="json")
        return ApiToken.objects.get(pk=issued.json()["id"])
