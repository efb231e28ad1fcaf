"""The fake's checks of Discord's documented limits, offline (no bot process)."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from tests.fakediscord.state import route_regex
from tests.fakediscord.validation import (
    check_autocomplete,
    check_callback,
    check_command,
    check_commands,
    check_message,
    check_modal,
    error_body,
)


def codes(problems: list[Any]) -> list[tuple[str, str]]:
    return [(".".join(map(str, p.path)), p.code) for p in problems]


def button(custom_id: str, **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "ok", "custom_id": custom_id, **extra}


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def message(**fields: Any) -> list[Any]:
    return check_message(fields, creating=True, interaction=True)


def test_discord_py_payloads_are_valid() -> None:
    embed = discord.Embed(title="t", description="d", url="https://example.org", colour=0x123456)
    embed.add_field(name="n", value="v").set_footer(text="f").set_author(name="a")
    view = discord.ui.View()
    view.add_item(discord.ui.Button(label="x", custom_id="a"))
    view.add_item(discord.ui.Button(label="docs", url="https://example.org"))
    view.add_item(
        discord.ui.Select(custom_id="s", options=[discord.SelectOption(label="l", value="v")])
    )
    payload = {
        "content": "hello",
        "embeds": [embed.to_dict()],
        "components": view.to_components(),
        "allowed_mentions": discord.AllowedMentions.none().to_dict(),
        "flags": 64,
    }
    assert message(**payload) == []


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"content": "x" * 2001}, ("content", "BASE_TYPE_MAX_LENGTH")),
        ({"embeds": [{"title": "t"}] * 11}, ("embeds", "BASE_TYPE_MAX_LENGTH")),
        ({"embeds": [{"title": "x" * 257}]}, ("embeds.0.title", "BASE_TYPE_MAX_LENGTH")),
        (
            {"embeds": [{"description": "x" * 4097}]},
            ("embeds.0.description", "BASE_TYPE_MAX_LENGTH"),
        ),
        (
            {"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]},
            ("embeds.0.fields", "BASE_TYPE_MAX_LENGTH"),
        ),
        (
            {"embeds": [{"fields": [{"name": "x" * 257, "value": "v"}]}]},
            ("embeds.0.fields.0.name", "BASE_TYPE_BAD_LENGTH"),
        ),
        (
            {"embeds": [{"fields": [{"name": "n", "value": "x" * 1025}]}]},
            ("embeds.0.fields.0.value", "BASE_TYPE_BAD_LENGTH"),
        ),
        (
            {"embeds": [{"footer": {"text": "x" * 2049}}]},
            ("embeds.0.footer.text", "BASE_TYPE_MAX_LENGTH"),
        ),
        (
            {"embeds": [{"author": {"name": "x" * 257}}]},
            ("embeds.0.author.name", "BASE_TYPE_MAX_LENGTH"),
        ),
        (
            {"embeds": [{"description": "x" * 4000}, {"description": "x" * 2001}]},
            ("embeds", "MAX_EMBED_SIZE_EXCEEDED"),
        ),
        ({"components": [row(button("a"))] * 6}, ("components", "BASE_TYPE_MAX_LENGTH")),
        (
            {"components": [row(*[button(str(i)) for i in range(6)])]},
            ("components.0.components", "BASE_TYPE_MAX_LENGTH"),
        ),
        (
            {"components": [row(button("a"), button("a"))]},
            ("components.0.components.1.custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED"),
        ),
        (
            {"components": [row(button("x" * 101))]},
            ("components.0.components.0.custom_id", "BASE_TYPE_BAD_LENGTH"),
        ),
        (
            {"components": [row(button("a", label="x" * 81))]},
            ("components.0.components.0.label", "BASE_TYPE_MAX_LENGTH"),
        ),
        (
            {"components": [row({"type": 2, "style": 5, "label": "l", "custom_id": "c"})]},
            ("components.0.components.0.url", "BASE_TYPE_REQUIRED"),
        ),
        (
            {
                "components": [
                    row(
                        button("b"),
                        {"type": 3, "custom_id": "s", "options": [{"label": "l", "value": "v"}]},
                    )
                ]
            },
            ("components.0.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED"),
        ),
        (
            {
                "components": [
                    row(
                        {
                            "type": 3,
                            "custom_id": "s",
                            "options": [{"label": "l", "value": str(i)} for i in range(26)],
                        }
                    )
                ]
            },
            ("components.0.components.0.options", "BASE_TYPE_MAX_LENGTH"),
        ),
        (
            {
                "components": [
                    row(
                        {
                            "type": 3,
                            "custom_id": "s",
                            "options": [{"label": "l", "value": "v", "description": "x" * 101}],
                        }
                    )
                ]
            },
            ("components.0.components.0.options.0.description", "BASE_TYPE_MAX_LENGTH"),
        ),
        (
            {"content": "hi", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
            ("allowed_mentions.parse", "ALLOWED_MENTIONS_PARSE_EXCLUSIVE"),
        ),
        ({}, ("", "50006")),
    ],
)
def test_message_limits(payload: dict[str, Any], expected: tuple[str, str]) -> None:
    assert expected in codes(message(**payload))


def test_channel_messages_cannot_be_ephemeral() -> None:
    problems = check_message({"content": "x", "flags": 64}, creating=True, interaction=False)
    assert codes(problems) == [("flags", "MESSAGE_FLAGS_INVALID")]


def test_callback_types_must_fit_the_interaction() -> None:
    choices = {"type": 8, "data": {"choices": []}}
    assert codes(check_callback(2, choices)) == [("type", "INTERACTION_RESPONSE_TYPE_INVALID")]
    assert check_callback(4, choices) == []
    assert codes(check_callback(4, {"type": 4, "data": {"content": "x"}}))[0][0] == "type"
    assert codes(check_callback(5, {"type": 9, "data": {}}))[0][0] == "type"
    assert check_callback(3, {"type": 6}) == []


def test_autocomplete_and_modal_limits() -> None:
    many = {"choices": [{"name": "n", "value": "v"}] * 26}
    assert ("data.choices", "BASE_TYPE_MAX_LENGTH") in codes(check_autocomplete(many))
    long_name = {"choices": [{"name": "x" * 101, "value": "v"}]}
    assert ("data.choices.0.name", "BASE_TYPE_BAD_LENGTH") in codes(check_autocomplete(long_name))

    text = {"type": 4, "custom_id": "t", "style": 1, "label": "Label"}
    assert check_modal({"custom_id": "m", "title": "T", "components": [row(text)]}) == []
    too_long = {"custom_id": "m", "title": "x" * 46, "components": [row(text)]}
    assert ("data.title", "BASE_TYPE_BAD_LENGTH") in codes(check_modal(too_long))
    six = {
        "custom_id": "m",
        "title": "T",
        "components": [row({**text, "custom_id": str(i)}) for i in range(6)],
    }
    assert ("data.components", "BASE_TYPE_MAX_LENGTH") in codes(check_modal(six))
    label = {"custom_id": "m", "title": "T", "components": [row({**text, "label": "x" * 46})]}
    assert ("data.components.0.components.0.label", "BASE_TYPE_BAD_LENGTH") in codes(
        check_modal(label)
    )


def test_application_command_limits() -> None:
    ok = {"name": "faq", "description": "Ask", "type": 1}
    assert check_command(ok) == []
    assert check_command({"name": "Quote", "type": 3}) == []
    assert codes(check_command({**ok, "name": "FAQ"}))[0][1] == "APPLICATION_COMMAND_INVALID_NAME"
    assert (
        codes(check_command({**ok, "name": "x" * 33}))[0][1] == "APPLICATION_COMMAND_INVALID_NAME"
    )
    assert ("description", "BASE_TYPE_BAD_LENGTH") in codes(
        check_command({**ok, "description": "x" * 101})
    )
    option = {"type": 3, "name": "q", "description": "d"}
    many = {**ok, "options": [{**option, "name": f"o{i}"} for i in range(26)]}
    assert ("options", "BASE_TYPE_MAX_LENGTH") in codes(check_command(many))
    order = {**ok, "options": [{**option, "name": "a"}, {**option, "name": "b", "required": True}]}
    assert ("options.1.required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID") in codes(
        check_command(order)
    )
    assert codes(check_commands([ok, ok])) == [("1.name", "APPLICATION_COMMAND_ALREADY_EXISTS")]


def test_error_body_is_shaped_like_discords() -> None:
    body = error_body(message(content="x" * 2001, allowed_mentions={"parse": []}))
    assert body == {
        "code": 50035,
        "message": "Invalid Form Body",
        "errors": {
            "content": {
                "_errors": [
                    {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}
                ]
            }
        },
    }


def test_route_patterns() -> None:
    pattern = route_regex("/interactions/{id}/{token}/callback")
    assert pattern.fullmatch("/interactions/1/abc/callback")
    assert not pattern.fullmatch("/interactions/1/abc/def/callback")
    assert route_regex("/channels/*").fullmatch("/channels/1/messages/2")
