"""`faqbot invite`: the URL that adds the bot with exactly the scopes and permissions it needs,
with the application id read from the token (never printed) or given as an option."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import discord
import pytest

from bot.cli import INVITE_PERMISSIONS, application_id_from_token, main

APP_ID = 1234567890123456789
TOKEN = base64.b64encode(str(APP_ID).encode()).decode().rstrip("=") + ".GAbCdE.x" + "y" * 30


def _query(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "discord.com", "/oauth2/authorize")
    return parse_qs(parts.query)


def test_the_application_id_is_decoded_from_the_token():
    assert application_id_from_token(TOKEN) == APP_ID
    assert application_id_from_token("not a token") is None
    assert application_id_from_token("aGVsbG8.abc.def") is None  # "hello": not an id


def test_invite_from_the_token_in_an_env_file(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    env = tmp_path / "faqbot.env"
    env.write_text(f"DISCORD_TOKEN={TOKEN}\n", encoding="utf-8")
    assert main(["invite", "--env-file", str(env)]) == 0
    out = capsys.readouterr().out
    assert TOKEN not in out and TOKEN.split(".")[1] not in out
    query = _query(out.strip())
    assert query["client_id"] == [str(APP_ID)]
    assert query["scope"] == ["bot applications.commands"]
    granted = discord.Permissions(int(query["permissions"][0]))
    assert all(getattr(granted, name) for name in INVITE_PERMISSIONS)
    assert bin(granted.value).count("1") == len(INVITE_PERMISSIONS), "nothing more"
    assert not granted.administrator and not granted.mention_everyone


def test_invite_with_the_application_id_option_needs_no_token(monkeypatch, capsys):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["invite", "--application-id", "111122223333444455"]) == 0
    assert _query(capsys.readouterr().out.strip())["client_id"] == ["111122223333444455"]


@pytest.mark.parametrize(
    ("token", "message"),
    [(None, "DISCORD_TOKEN is not set"), ("abc.def", "does not look like a bot token")],
)
def test_invite_without_a_usable_token_says_what_to_do(monkeypatch, capsys, token, message):
    if token is None:
        monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    else:
        monkeypatch.setenv("DISCORD_TOKEN", token)
    assert main(["invite"]) == 2
    err = capsys.readouterr().err
    assert message in err and "--application-id" in err


def test_every_invite_permission_is_explained_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    for name in INVITE_PERMISSIONS:
        assert f"(`{name}`) | " in quick_start, name
    assert "faqbot invite --env-file" in quick_start and "read -rsp" in quick_start
    assert "DISCORD_TOKEN=your" not in readme, "no token on a command line"
