"""Messages follow Accept-Language: Simplified Chinese by default, English on request (DESIGN §5).

The Chinese messages come from the compiled catalogue, locale/zh_Hans/LC_MESSAGES/django.mo, which
`make` builds with GNU gettext's msgfmt and git does not keep. Without it every message stays in
English, so the module is skipped.
"""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from core.errors import TransitionNotAllowed
from openness import services
from registry.validators import validate_credit_code
from tests.openness.helpers import open_batch

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.mo"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not CATALOGUE.exists(),
        reason="locale/zh_Hans/LC_MESSAGES/django.mo is not compiled: run `make` (needs msgfmt)",
    ),
]

MISSING_RESOURCE = "/api/v1/resources/00000000-0000-0000-0000-000000000000/"


def assert_nothing_here(response: Any, title: str, detail: str, language: str) -> None:
    """The 404 problem of an address under the API that routes nowhere, in ``language``."""
    assert response.status_code == 404
    body = response.json()
    assert body["type"] == "/api/problems/not-found"
    assert (body["title"], body["detail"]) == (title, detail)
    assert response["Content-Language"] == language


def test_a_404_under_the_api_is_in_english_when_the_client_asks_for_english(api_client):
    response = api_client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")
    assert_nothing_here(response, "Not found", "Nothing exists at this address.", "en")


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ACCEPT_LANGUAGE": "zh-hans"}, {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}, {}],
    ids=["zh-hans", "zh-CN", "no-header"],
)
def test_a_404_under_the_api_is_in_chinese_for_a_chinese_client_and_by_default(api_client, headers):
    response = api_client.get("/api/v1/no-such-thing/", **headers)
    assert_nothing_here(response, "未找到", "该地址不存在任何内容。", "zh-hans")


@pytest.mark.parametrize(
    ("language", "title", "detail"),
    [("en", "Not found", "Not found."), ("zh-hans", "未找到", "未找到。")],
)
def test_a_missing_resource_has_its_title_and_detail_in_the_same_language(
    api_client, language, title, detail
):
    body = api_client.get(MISSING_RESOURCE, HTTP_ACCEPT_LANGUAGE=language).json()
    assert (body["title"], body["detail"]) == (title, detail)


@pytest.mark.parametrize(
    ("language", "title", "detail", "error"),
    [
        ("zh-hans", "请求参数无效", "以下参数或字段无效：regoin。", "未知的查询参数。"),
        ("en", "Invalid request", "Invalid regoin.", "Unknown query parameter."),
    ],
)
def test_an_unknown_query_parameter_is_reported_in_the_clients_language(
    api_client, language, title, detail, error
):
    response = api_client.get("/api/v1/resources/?regoin=440000", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    body = response.json()
    assert (body["title"], body["detail"]) == (title, detail)
    assert body["errors"] == [{"attr": "regoin", "code": "unknown_parameter", "detail": error}]


def test_answers_under_the_api_vary_on_accept_language(api_client):
    for path in ("/api/v1/no-such-thing/", "/api/v1/resources/"):
        vary = api_client.get(path)["Vary"]
        assert "Accept-Language" in [name.strip() for name in vary.split(",")], path


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "A unified social credit code has 18 characters; this one has 17."),
        ("zh-hans", "统一社会信用代码应为 18 位，此代码为 17 位。"),
    ],
)
def test_a_credit_code_validation_message_is_in_the_active_language(language, message):
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            validate_credit_code("91440300MA5ABCDEF")
        # The message is lazy: it is translated when read, so read it in the language.
        assert caught.value.messages == [message]


def test_a_workflow_refusal_names_the_status_and_action_in_chinese(curator):
    batch = open_batch(curator)
    with translation.override("zh-hans"), pytest.raises(TransitionNotAllowed) as refused:
        services.batch_publish(actor=curator, batch_id=batch.pk)

    assert str(refused.value.message) == "处于“开放申报”状态的批次不允许执行“发布”操作。"
