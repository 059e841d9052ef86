"""What the admin tests do as a curator's browser would: run an action on selected objects from
a changelist, read the messages a page shows, list a changelist's rows and a filter's choices."""

from typing import Any


def act(client: Any, url: str, action: str, objects: list[Any], **data: Any) -> Any:
    """Posts an admin action on ``objects`` from the changelist, as the browser does."""
    return client.post(
        url, {"action": action, "_selected_action": [str(obj.pk) for obj in objects], **data}
    )


def messages_of(response: Any) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def changelist(client: Any, url: str) -> list[Any]:
    """The objects a changelist (with its query string) shows."""
    response = client.get(url)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def filter_choices(client: Any, url: str, title: str) -> list[str]:
    """What the changelist's filter titled ``title`` offers."""
    cl = client.get(url).context["cl"]
    [spec] = [spec for spec in cl.filter_specs if spec.title == title]
    return [choice["display"] for choice in spec.choices(cl)]
