"""The openness lists' write routes, each with the generic write cases
(``tests.api_write_cases``): batches, their workflow and submissions, and the entries' review.

A curators' action is a 403 to a publisher before the object is looked up; an action of a
platform's own publishers on an entry another platform cannot see yet is a 404 to that one."""

from typing import Any

from openness import services
from openness.models import Batch, Entry
from tests.api_write_cases import (
    CreateEndpointTests,
    StatusGuardTests,
    TransitionEndpointTests,
    WriteEndpointTests,
)
from tests.openness.helpers import active_resource, batch_in, published_batch, submit

REASON = {"reason": "不符合条件"}


class OpennessWrite(WriteEndpointTests):
    """Curators run the lists; publishers only submit and follow their own entries."""

    def curator(self) -> Any:
        return self.user("curator")

    def entry(self, *, approved: bool = False, rejected: bool = False) -> Any:
        """A submission of one of platform A's resources to an open batch."""
        batch = batch_in("open", self.curator())
        entry = submit(batch, active_resource(self.platform_a), self.curator())
        if approved:
            entry = services.entry_approve(actor=self.curator(), entry_id=entry.pk)
        if rejected:
            entry = services.entry_reject(actor=self.curator(), entry_id=entry.pk, **REASON)
        return entry


class BatchWrite(StatusGuardTests, OpennessWrite):
    """A write to a batch in ``source``, refused (409) to one in ``wrong``."""

    source: str
    wrong: str

    def make(self) -> Any:
        return batch_in(self.source, self.curator())

    def make_in_wrong_status(self) -> Any:
        return batch_in(self.wrong, self.curator())


# Batches ----------------------------------------------------------------------------------------


class TestBatchCreate(CreateEndpointTests, OpennessWrite):
    route = "POST batches/"
    expects_location = False
    model = Batch
    data = {"title": "第n批平台开放清单", "year": 2026}


class TestBatchUpdate(BatchWrite):
    route = "PATCH batches/{number}/"
    source, wrong = "open", "published"
    data = {"title": "新标题"}


class TestBatchOpen(TransitionEndpointTests, BatchWrite):
    route = "POST batches/{number}/open/"
    source, wrong = "draft", "open"


class TestBatchClose(TransitionEndpointTests, BatchWrite):
    route = "POST batches/{number}/close/"
    source, wrong = "open", "draft"


class TestBatchPublish(TransitionEndpointTests, BatchWrite):
    route = "POST batches/{number}/publish/"
    source, wrong = "review", "open"


class TestBatchSubmit(CreateEndpointTests, BatchWrite):
    """A publisher submits its own platform's resource; another platform's publisher may not."""

    route = "POST batches/{number}/entries/"
    allowed, refused = "publisher", "other_publisher"
    source, wrong = "open", "published"
    expects_location = False
    model = Entry

    def body(self, obj: Any) -> dict[str, Any]:
        return {"resource": str(active_resource(self.platform_a).pk)}


# Entries ----------------------------------------------------------------------------------------


class TestEntryApprove(TransitionEndpointTests, OpennessWrite):
    route = "POST entries/{pk}/approve/"

    def make(self) -> Any:
        return self.entry()

    def make_in_wrong_status(self) -> Any:
        return self.entry(approved=True)


class TestEntryReject(TestEntryApprove):
    route = "POST entries/{pk}/reject/"
    data = REASON

    def make_in_wrong_status(self) -> Any:
        return self.entry(rejected=True)


class TestEntryWithdraw(TransitionEndpointTests, OpennessWrite):
    route = "POST entries/{pk}/withdraw/"
    allowed, refused = "publisher", "other_publisher"
    data = {"reason": "停止开放"}

    def make(self) -> Any:
        resource = active_resource(self.platform_a)
        batch = published_batch(self.curator(), [resource])
        return Entry.objects.get(batch=batch, resource=resource)

    def make_in_wrong_status(self) -> Any:
        return self.entry()


class TestEntryRetract(TestEntryApprove):
    route = "POST entries/{pk}/retract/"
    allowed, refused = "publisher", "other_publisher"
    refused_status = 404  # a submission is its own platform's until it is listed
    success_status = 204
