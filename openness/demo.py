"""The demo openness lists behind ``manage.py seed_demo``: three batches, written by the services.

After the demo catalogue exists, ``seed_batches`` plays the regulator's work up to today. The story
is dated on the reference calendar of ``registry.demo_timeline`` (today is 2 December 2026 there;
the months below are its) and moved to the real today, so what it dates before today has
happened and the rest is a plan:

* batch 1 (第一批平台开放清单) is opened in April, reviewed (a few submissions rejected with
  reasons) and published in May; afterwards some entries are withdrawn with reasons, one of them
  because its platform withdrew the resource;
* between the batches publishers change some listed resources (``resource_update``);
* batch 2 is published in September: most of batch 1 again, the resources rejected from batch 1
  after they were fixed, and new ones; so its diff against batch 1 has resources newly listed,
  listed again (some of them changed), not listed again, and withdrawn (from the registry, or
  from batch 1's list). After publication an entry is withdrawn, a resource listed in both batches
  is withdrawn (which withdraws both its listings) and a few listed resources change, so their
  entries are "changed since listing";
* batch 3 is open for submissions now: it opened in the middle of November, its window closes in
  the middle of December (after today), and its submissions are reviewed as they come: some
  approved, some rejected, most still waiting for review. So a publisher can submit to it, and the
  curator review and publish it, as the plan's third list.

Every write goes through the services (``openness.services``, ``registry.services``), so the batches
come with their change records and events exactly as if a curator and the platforms' publishers had
done it. The actors are a ``demo-curator`` user (in the ``curators`` group) and one publisher per
demo platform (``<slug>-publisher``); beside them a ``demo-sme``, an ordinary registered user. They
are created without a usable password (a user who already has one of these names is used as they
are); in development ``manage.py demo_accounts`` gives some of them one to sign in with.

Deterministic: the resources are drawn, in index order, from the first ``CANDIDATES`` demo resources
(``registry.demo.resource_id``), so the batches are the same whatever the catalogue's size (about
60, 80 and 40 entries with the default catalogue; fewer when it is smaller), and the service calls
run on a demo clock (``demo_clock``) set to the story's moments moved to today, so every run with
the same today writes the same dates. Idempotent: nothing is written when any batch exists.
Everything happens in one transaction.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from openness import services
from openness.choices import EntryStatus
from openness.demo_actors import CURATOR_USERNAME as CURATOR_USERNAME
from openness.demo_actors import SME_USERNAME as SME_USERNAME
from openness.demo_actors import Actors, seed_actors
from openness.demo_clock import Clock, demo_clock, spread
from openness.demo_pool import Pool
from openness.models import Batch, Entry
from registry import services as registry_services
from registry.demo_timeline import Timeline, at
from registry.models import Resource

DEMO_TZ = ZoneInfo("Asia/Shanghai")

BATCH_1_SUBMISSIONS = 64
BATCH_2_SUBMISSIONS = 84
BATCH_3_SUBMISSIONS = 40

REJECTION_REASONS = [
    "资源说明未写明中小企业可享受的具体优惠，请补充后在下一批次重新申报。",
    "申请链接无法访问，请核实后重新提交。",
    "开放条件要求企业注册资本不低于 1000 万元，不符合面向中小企业开放的要求。",
    "同一资源已由平台以其他名称申报，请合并后提交。",
]
WITHDRAWAL_REASONS = [
    "平台已停止对外提供该资源。",
    "经核查，中小企业优惠条款已调整，不再符合清单要求。",
    "资源已并入平台新版本产品，原条目撤回。",
]
RESOURCE_WITHDRAWAL_REASONS = [
    "该资源已下线，平台不再提供。",
    "资源所依托的服务已迁移至新平台，原资源下线。",
]


# The batches ------------------------------------------------------------------------------------


@dataclass
class SeededBatches:
    """What ``seed_batches`` wrote, for the command's report."""

    batches: list[Batch] = field(default_factory=list)

    def describe(self) -> str:
        parts = []
        for batch in Batch.objects.filter(pk__in=[batch.pk for batch in self.batches]):
            counts = {status: batch.entries.filter(status=status).count() for status in EntryStatus}
            shown = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
            parts.append(f"{batch.number} {batch.status} ({shown or 'no entries'})")
        return "; ".join(parts)


def _every(items: Sequence[Any], step: int, offset: int) -> list[Any]:
    return list(items[offset::step])


def seed_batches(*, today: date) -> SeededBatches | None:
    """Writes the three demo batches as they stand on ``today``: two published, the third open;
    None (and nothing written) when a batch exists already or there is no demo resource to list."""
    if Batch.objects.exists():
        return None
    pool = Pool()
    if not pool.ids:
        return None
    seeded = SeededBatches()
    timeline = Timeline(today)
    with transaction.atomic(), demo_clock(timeline.moment(at(3, 20))) as clock:
        actors = seed_actors()
        story = _Story(clock, timeline, actors, pool, seeded)
        story.batch_1()
        story.between_batches_1_and_2()
        story.batch_2()
        story.after_batch_2()
        story.batch_3()
    return seeded


class _Story:
    """The demo year up to today, step by step; each step sets the clock, then calls a service.

    The steps name reference moments (``at``); the clock is set to where ``timeline`` moves them.
    """

    def __init__(
        self,
        clock: Clock,
        timeline: Timeline,
        actors: Actors,
        pool: Pool,
        seeded: SeededBatches,
    ) -> None:
        self.clock, self.timeline, self.actors = clock, timeline, actors
        self.pool, self.seeded = pool, seeded
        self.curator = actors.curator
        self.listed_1: list[Entry] = []
        self.rejected_1: list[Entry] = []
        self.listed_2: list[Entry] = []
        self.changed_1: set[Any] = set()

    # Helpers --------------------------------------------------------------------------------

    def moment(self, when: datetime) -> datetime:
        """Where the reference moment ``when`` falls."""
        return self.timeline.moment(when)

    def create(self, when: datetime, **data: Any) -> Batch:
        """A batch, its submission window given in reference moments too."""
        for window in ("submission_opens_at", "submission_closes_at"):
            data[window] = self.moment(data[window])
        self.clock.set(self.moment(when))
        batch = services.batch_create(actor=self.curator, data=data)
        self.seeded.batches.append(batch)
        return batch

    def call(self, when: datetime, service: Callable[..., Any], **kwargs: Any) -> Any:
        self.clock.set(self.moment(when))
        return service(**kwargs)

    def by_publisher(
        self, when: datetime, subject: Resource, service: Callable[..., Any], **kwargs: Any
    ) -> Any:
        """``call`` as the publisher of ``subject`` (the curator when its platform has none)."""
        return self.call(when, service, actor=self.actors.publisher_of(subject), **kwargs)

    def submit(self, batch: Batch, ids: list[Any], start: datetime, end: datetime) -> list[Entry]:
        resources = Resource.objects.select_related("platform").in_bulk(ids)
        entries = []
        for rid, moment in zip(ids, spread(len(ids), start, end), strict=True):
            resource = resources[rid]
            entries.append(
                self.by_publisher(
                    moment, resource, services.entry_submit, batch_id=batch.pk, resource=resource
                )
            )
        return entries

    def review(
        self,
        approve: list[Entry],
        reject: list[Entry],
        start: datetime,
        end: datetime,
    ) -> None:
        """Decides in submission order: the ``reject`` entries with the reasons in turn."""
        rejected = {entry.pk for entry in reject}
        decided = sorted([*approve, *reject], key=lambda entry: (entry.submitted_at, entry.pk))
        reasons = iter(REJECTION_REASONS * (len(reject) // len(REJECTION_REASONS) + 1))
        for entry, moment in zip(decided, spread(len(decided), start, end), strict=True):
            if entry.pk in rejected:
                self.call(
                    moment,
                    services.entry_reject,
                    actor=self.curator,
                    entry_id=entry.pk,
                    reason=next(reasons),
                )
            else:
                self.call(moment, services.entry_approve, actor=self.curator, entry_id=entry.pk)

    def listed(self, batch: Batch) -> list[Entry]:
        return list(batch.entries.filter(status=EntryStatus.LISTED).order_by("sequence"))

    def withdraw_resource(self, when: datetime, entry: Entry, reason: str) -> None:
        """The platform withdraws the resource, which withdraws its listed entries."""
        resource = Resource.objects.select_related("platform").get(pk=entry.resource_id)
        self.by_publisher(
            when,
            resource,
            registry_services.resource_withdraw,
            resource_id=resource.pk,
            reason=reason,
        )
        self.pool.withdrawn.add(resource.pk)

    def change(self, when: datetime, rid: Any, kind: int) -> None:
        """A publisher changes a resource: one of a few kinds of plausible edits."""
        resource = Resource.objects.select_related("platform").get(pk=rid)
        moment = self.moment(when).astimezone(DEMO_TZ)
        month, year = moment.month, moment.year
        edits: list[dict[str, str]] = [
            {
                "summary": f"{resource.summary}（{month}月起扩大中小企业免费额度）",
                "summary_en": f"{resource.summary_en} (larger free quota for SMEs from "
                f"{moment:%B})",
            },
            {"sme_discount": f"中小企业专享：首年费用七折（{year}年{month}月起）"},
            {
                "sme_conditions": f"{resource.sme_conditions}"
                f"自 {year} 年起，专精特新中小企业可优先获得技术支持。"
            },
            {"sme_free_quota": f"新注册中小企业{month}月起每月赠送额度翻倍"},
        ]
        data = edits[kind % len(edits)]
        self.by_publisher(
            when,
            resource,
            registry_services.resource_update,
            resource_id=rid,
            data=data,
            if_match=None,
        )
        self.pool.touch(rid, self.moment(when))

    # The story ------------------------------------------------------------------------------

    def batch_1(self) -> None:
        batch = self.create(
            at(3, 30, 10),
            title="第一批平台开放清单",
            title_en="Platform Openness List, Batch 1",
            year=self.timeline.year(at(5, 20, 10)),  # the year it is published
            document_reference=f"工信厅企业函〔{self.timeline.year(at(5, 20, 10))}〕58号",
            submission_opens_at=at(4, 1),
            submission_closes_at=at(4, 30, 18),
        )
        self.call(at(4, 1), services.batch_open, actor=self.curator, batch_id=batch.pk)
        ids = self.pool.available(before=self.moment(at(4, 1)))[:BATCH_1_SUBMISSIONS]
        entries = self.submit(batch, ids, at(4, 2, 10), at(4, 29, 17))
        self.call(at(5, 6), services.batch_close, actor=self.curator, batch_id=batch.pk)
        reject = _every(entries, 16, 7)
        self.review([e for e in entries if e not in reject], reject, at(5, 7, 10), at(5, 14, 17))
        self.call(at(5, 20, 10), services.batch_publish, actor=self.curator, batch_id=batch.pk)
        self.rejected_1 = reject
        listed = self.listed(batch)
        # After publication: two entries withdrawn by the curator, one by its resource's withdrawal.
        withdrawn = _every(listed, 20, 10)
        for entry, when, reason in zip(
            withdrawn[:2], [at(6, 5, 15), at(6, 18, 11)], WITHDRAWAL_REASONS, strict=False
        ):
            self.call(
                when,
                services.entry_withdraw,
                actor=self.curator,
                entry_id=entry.pk,
                reason=reason,
            )
        for entry in withdrawn[2:3]:
            self.withdraw_resource(at(6, 26, 16), entry, RESOURCE_WITHDRAWAL_REASONS[0])
        self.listed_1 = [entry for entry in listed if entry not in withdrawn]

    def between_batches_1_and_2(self) -> None:
        """Publishers change some resources listed in batch 1: batch 2's diff shows them."""
        changed = _every(self.listed_1, 7, 3)
        for kind, (entry, when) in enumerate(
            zip(changed, spread(len(changed), at(7, 1, 14), at(7, 24, 16)), strict=True)
        ):
            self.change(when, entry.resource_id, kind)
        self.changed_1 = {entry.resource_id for entry in changed}

    def batch_2(self) -> None:
        batch = self.create(
            at(7, 28, 10),
            title="第二批平台开放清单",
            title_en="Platform Openness List, Batch 2",
            year=self.timeline.year(at(9, 25, 10)),
            document_reference=f"工信厅企业函〔{self.timeline.year(at(9, 25, 10))}〕197号",
            submission_opens_at=at(8, 3),
            submission_closes_at=at(8, 31, 18),
        )
        self.call(at(8, 3), services.batch_open, actor=self.curator, batch_id=batch.pk)
        # Most of batch 1 again (every changed one), batch 1's rejected after they were fixed, new.
        again = [
            entry.resource_id
            for position, entry in enumerate(self.listed_1)
            if position % 6 != 5 or entry.resource_id in self.changed_1
        ]
        fixed = [entry.resource_id for entry in self.rejected_1]
        in_batch_1 = set(self.seeded.batches[0].entries.values_list("resource_id", flat=True))
        new = self.pool.available(before=self.moment(at(8, 3)), exclude=in_batch_1)
        new = new[: max(BATCH_2_SUBMISSIONS - len(again) - len(fixed), 0)]
        order = {rid: position for position, rid in enumerate(self.pool.ids)}
        ids = sorted([*again, *fixed, *new], key=order.__getitem__)
        entries = self.submit(batch, ids, at(8, 4, 10), at(8, 28, 17))
        self.call(at(9, 7), services.batch_close, actor=self.curator, batch_id=batch.pk)
        new_entries = [entry for entry in entries if entry.resource_id in set(new)]
        reject = _every(new_entries, 8, 4)[:4]
        self.review([e for e in entries if e not in reject], reject, at(9, 8, 10), at(9, 16, 17))
        self.call(at(9, 25, 10), services.batch_publish, actor=self.curator, batch_id=batch.pk)
        self.listed_2 = self.listed(batch)

    def after_batch_2(self) -> None:
        """An entry withdrawn; a resource listed in both batches withdrawn (both entries go);
        a few listed resources changed, so their entries differ from the resource now."""
        in_batch_1 = {entry.resource_id for entry in self.listed_1}
        only_2 = [entry for entry in self.listed_2 if entry.resource_id not in in_batch_1]
        both = [
            entry
            for entry in self.listed_2
            if entry.resource_id in in_batch_1 and entry.resource_id not in self.changed_1
        ]
        gone: set[Any] = set()
        for entry in _every(only_2, 10, 6)[:1]:
            self.call(
                at(10, 12, 15),
                services.entry_withdraw,
                actor=self.curator,
                entry_id=entry.pk,
                reason=WITHDRAWAL_REASONS[2],
            )
            gone.add(entry.resource_id)
        for entry in _every(both, 10, 4)[:1]:
            self.withdraw_resource(at(10, 20, 10), entry, RESOURCE_WITHDRAWAL_REASONS[1])
            gone.add(entry.resource_id)
        still = [entry for entry in self.listed_2 if entry.resource_id not in gone]
        changed = _every(still, 25, 12)[:3]
        for kind, (entry, when) in enumerate(
            zip(changed, spread(len(changed), at(10, 28, 14), at(11, 10, 16)), strict=True)
        ):
            self.change(when, entry.resource_id, kind + 1)
        self.listed_2 = still

    def batch_3(self) -> None:
        batch = self.create(
            at(11, 13, 10),
            title="第三批平台开放清单",
            title_en="Platform Openness List, Batch 3",
            year=self.timeline.year(at(11, 16)),  # not published yet: the year it opens
            document_reference="",
            submission_opens_at=at(11, 16),
            submission_closes_at=at(12, 15, 18),
        )
        self.call(at(11, 16), services.batch_open, actor=self.curator, batch_id=batch.pk)
        again = [entry.resource_id for entry in _every(self.listed_2, 5, 1)]
        in_batch_2 = set(self.seeded.batches[1].entries.values_list("resource_id", flat=True))
        new = self.pool.available(before=self.moment(at(11, 16)), exclude=in_batch_2)
        new = new[: max(BATCH_3_SUBMISSIONS - len(again), 0)]
        order = {rid: position for position, rid in enumerate(self.pool.ids)}
        ids = sorted([*again, *new], key=order.__getitem__)
        entries = self.submit(batch, ids, at(11, 16, 10), at(11, 27, 17))
        # Open now: the curator has decided some of the first week's submissions; the rest wait.
        first_week = [e for e in entries if e.submitted_at < self.moment(at(11, 23))]
        approve = _every(first_week, 4, 0)
        reject = _every(first_week, 8, 3)
        self.review(approve, reject, at(11, 24, 10), at(11, 30, 17))
