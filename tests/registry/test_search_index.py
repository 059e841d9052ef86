"""The search index on disk: built, followed, killed, rebuilt, and read by other processes.

These tests use real follower processes (``manage.py follow_search_index``) against a committed
database (the test database on PostgreSQL; on SQLite a file copy, as the worker tests do), each
writing its own index directory, read back here through ``SearchIndex``.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from registry.models import Resource
from registry.search import Filters, Search, parse
from registry.search.follower import catch_up, rebuild, wait_until_current
from registry.search.index import VERSION_FILE, SearchIndex, get_index, reset_index
from tests.api_cases import assert_problem, ids
from tests.factories import ResourceFactory
from tests.notifications.test_worker_sigkill import WorkerDatabase

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"
URL = "/api/v1/resources/"


def answers(index: SearchIndex, q: str, *, reopen: bool = True) -> list[str]:
    """What ``index`` finds for ``q`` among active resources, in rank order."""
    if reopen:
        index.close()  # read the directory's last commit, whoever wrote it
    search = Search(parse(q), Filters({"status": ["active"]}), searcher=index.searcher())
    return [hit.id for hit in search.page(ordering="relevance", offset=0, limit=50).hits]


@pytest.fixture
def on_disk(settings, tmp_path):
    """The configured index in a directory of this test's (as in production)."""
    settings.SEARCH_INDEX_DIR = str(tmp_path / "index")
    reset_index()
    yield get_index()
    reset_index()


# In one process --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_an_index_searches_answer_503_and_plain_lists_still_work(api_client, on_disk):
    ResourceFactory(name="昇腾算力")

    assert_problem(api_client.get(URL, {"q": "昇腾"}), 503)
    assert api_client.get(URL, {"q": "昇腾"}).json()["type"] == "/api/problems/search-unavailable"
    assert_problem(api_client.get(f"{URL}suggest/", {"q": "昇"}), 503)
    assert len(ids(api_client.get(URL))) == 1
    ready = api_client.get("/readyz", HTTP_ACCEPT_LANGUAGE="en")  # the detail, in English
    assert ready.status_code == 503
    assert "search index" in ready.json()["detail"]


@pytest.mark.django_db
def test_a_corrupt_index_answers_503_until_rebuilt(api_client, on_disk):
    resource = ResourceFactory(name="昇腾算力")
    rebuild(on_disk)
    for path in Path(on_disk.path).glob("*.store"):
        path.write_bytes(b"garbage")
    (Path(on_disk.path) / "meta.json").write_text("{not json")
    reset_index()

    assert_problem(api_client.get(URL, {"q": "昇腾"}), 503)
    assert api_client.get("/readyz").status_code == 503

    call_command("rebuild_search_index", "--no-progress", stdout=StringIO())
    reset_index()

    assert ids(api_client.get(URL, {"q": "昇腾"})) == [str(resource.pk)]
    assert api_client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_an_index_written_for_another_schema_answers_503_until_rebuilt(api_client, on_disk):
    resource = ResourceFactory(name="昇腾算力")
    rebuild(on_disk, own_writes=True)
    (Path(on_disk.path) / VERSION_FILE).write_text("0\n")  # an older release's index
    reset_index()

    assert_problem(api_client.get(URL, {"q": "昇腾"}), 503)

    rebuild(get_index(), own_writes=True)  # as its follower does when it finds it so

    assert ids(api_client.get(URL, {"q": "昇腾"})) == [str(resource.pk)]


@pytest.mark.django_db
def test_catching_up_applies_changes_deletions_and_renames_and_remembers_where_it_was(on_disk):
    kept = ResourceFactory(name="昇腾算力", platform__name="甲平台科技有限公司")
    gone = ResourceFactory(name="昇腾开发板")
    rebuild(on_disk, own_writes=True)
    position = on_disk.position()

    gone.delete()
    Resource.objects.filter(pk=kept.pk).update(name="飞腾算力")
    # own_writes: this test's transaction never commits, so read the log by id.
    catch_up(on_disk, own_writes=True)

    assert answers(on_disk, "昇腾") == []
    assert answers(on_disk, "飞腾") == [str(kept.pk)]
    assert on_disk.position() != position
    assert catch_up(on_disk, own_writes=True) == 0  # nothing new: nothing re-read


@pytest.mark.django_db
def test_a_reader_sees_another_writers_commit_without_reopening(on_disk):
    resource = ResourceFactory(name="昇腾算力")
    on_disk.apply([], [], 0)
    reader = SearchIndex(on_disk.path)  # as a web process holds it open
    assert answers(reader, "昇腾") == []

    rebuild(on_disk, own_writes=True)  # the follower's commit

    assert answers(reader, "昇腾", reopen=False) == [str(resource.pk)]


@pytest.mark.django_db
def test_the_rebuild_command_shows_progress_and_counts(on_disk, capsys):
    for n in range(3):
        ResourceFactory(name=f"资源{n}")
    call_command("rebuild_search_index")

    captured = capsys.readouterr()
    assert f"Indexed 3 resources in {on_disk.path}." in captured.out
    assert "3/3" in captured.err  # the progress bar


# Followers in their own processes -------------------------------------------------------------


class Followers:
    """``manage.py follow_search_index`` subprocesses, one per index directory."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.processes: list[subprocess.Popen[bytes]] = []
        self.database: WorkerDatabase | None = None

    def use(self, database: WorkerDatabase) -> None:
        """The database to follow: made once the test's data is committed (a copy on SQLite)."""
        self.database = database

    def start(self, directory: Path, *arguments: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": self.database.url if self.database else "",
            "SEARCH_INDEX_DIR": str(directory),
            "SECRET_KEY": "follower-tests",
            "DEBUG": "0",
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, str(MANAGE_PY), "follow_search_index", "--no-progress"]
        with self.log.open("ab") as output:
            process = subprocess.Popen(  # noqa: S603  (our own interpreter and manage.py)
                [*command, *arguments],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def kill_all(self) -> None:
        for process in self.processes:
            self.kill(process)


@pytest.fixture
def followers(tmp_path: Path) -> Any:
    log = tmp_path / "followers.log"
    running = Followers(log)
    try:
        yield running
    finally:
        running.kill_all()
        if log.exists():
            print(log.read_text(errors="replace")[-4000:])  # noqa: T201  (shown on failure)


def _in_worker_database(followers: Followers, statements: list[tuple[str, list[Any]]]) -> None:
    """Writes through the database the followers read (the SQLite copy, or PostgreSQL)."""
    assert followers.database is not None
    copy = followers.database.sqlite_copy
    if copy is None:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
        return
    import sqlite3

    with sqlite3.connect(copy, timeout=10) as writer:
        for sql, params in statements:
            writer.execute(sql.replace("%s", "?"), params)
    writer.close()


def _rename(followers: Followers, resource: Resource, name: str) -> None:
    copy = followers.database.sqlite_copy if followers.database else None
    pk = resource.pk.hex if copy is not None else str(resource.pk)
    _in_worker_database(
        followers, [("UPDATE registry_resource SET name = %s WHERE id = %s", [name, pk])]
    )


def _until(check: Any, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_followers_on_two_directories_give_the_same_answers(vocabularies, followers, tmp_path):
    made = [
        ResourceFactory(name="昇腾算力集群", tags=["算力"]),
        ResourceFactory(name="鸿蒙开发板", resource_type="terminal"),
        ResourceFactory(name="工业质检数据集", resource_type="data"),
    ]
    followers.use(WorkerDatabase(tmp_path))  # the committed data, for the followers
    first, second = SearchIndex(tmp_path / "one"), SearchIndex(tmp_path / "two")
    followers.start(tmp_path / "one")
    followers.start(tmp_path / "two")

    for index in (first, second):
        assert _until(lambda index=index: answers(index, "算力") == [str(made[0].pk)])
    _rename(followers, made[1], "鸿蒙算力终端")

    for index in (first, second):
        assert _until(lambda index=index: len(answers(index, "算力")) == 2)
    for q in ("算力", "鸿蒙", "数据集", "质检 算力", "昇騰"):
        assert answers(first, q) == answers(second, q), q


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_follower_killed_with_sigkill_loses_no_change(vocabularies, followers, tmp_path):
    resource = ResourceFactory(name="昇腾算力集群")
    other = ResourceFactory(name="飞腾服务器")
    followers.use(WorkerDatabase(tmp_path))
    index = SearchIndex(tmp_path / "index")
    process = followers.start(tmp_path / "index")
    assert _until(lambda: answers(index, "昇腾") == [str(resource.pk)])

    followers.kill(process)  # SIGKILL: no clean-up
    _rename(followers, resource, "海光算力集群")
    _rename(followers, other, "海光服务器")
    assert answers(index, "海光") == []  # nobody follows

    followers.start(tmp_path / "index")

    assert _until(lambda: len(answers(index, "海光")) == 2)
    assert answers(index, "昇腾") == []


@pytest.mark.django_db
def test_waiting_for_an_index_that_lags_gives_up_after_the_timeout(on_disk):
    ResourceFactory(name="飞腾算力")
    on_disk.apply([], [], 0)  # an index that has read nothing of the log yet
    started = time.monotonic()

    assert wait_until_current(timeout=0.3) is False
    assert time.monotonic() - started >= 0.3


@pytest.mark.django_db
def test_matching_leaves_events_for_later_while_the_index_lags(on_disk):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from core.events import NewEvent, emit
    from core.models import Event
    from notifications.models import Delivery
    from notifications.services import subscription_create
    from notifications.tasks import match_pending_events
    from tests.factories import UserFactory

    subscription_create(owner=UserFactory(), data={"name": "算力", "query": "q=算力"})
    resource = ResourceFactory(name="飞腾算力")
    on_disk.apply([], [], 0)  # an index that has read nothing of the log yet
    with transaction.atomic():
        emit(NewEvent("resource.updated", "resource", resource.pk, {}, public=True))
    tasks_before = DBTaskResult.objects.count()

    assert match_pending_events() == 0

    assert Event.objects.filter(matched_at__isnull=True).count() == 1
    assert not Delivery.objects.exists()
    assert DBTaskResult.objects.count() == tasks_before + 1  # matching again, a little later


@pytest.mark.django_db
def test_a_repeated_search_is_kept_until_the_index_changes(api_client):
    from registry.search.engine import RESULTS

    first = ResourceFactory(name="昇腾算力")
    assert ids(api_client.get(URL, {"q": "昇腾", "facets": "type"})) == [str(first.pk)]
    kept = len(RESULTS.kept)
    assert ids(api_client.get(URL, {"q": "昇腾", "facets": "type"})) == [str(first.pk)]
    assert len(RESULTS.kept) == kept  # answered from what was kept

    second = ResourceFactory(name="昇腾开发板")
    body = api_client.get(URL, {"q": "昇腾", "facets": "type"}).json()

    assert {hit["id"] for hit in body["results"]} == {str(first.pk), str(second.pk)}
    assert body["facets"]["type"][0]["count"] == 2
