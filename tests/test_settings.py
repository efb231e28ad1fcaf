"""Settings: good defaults, and one clear line per bad value (all of them, not just the first)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.services.rate_policy import RateLimits
from bot.settings import (
    SHIPPED_FAQ_DIR,
    Settings,
    SettingsError,
    default_data_dir,
    load_settings,
)

GUILD = "123456789012345678"
OTHER_GUILD = "223456789012345678"
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.very-secret-signature_0123456789"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No setting leaks in from the developer's shell; DATA_DIR defaults under tmp."""
    names = {name.upper() for name in Settings.model_fields}
    for key in list(os.environ):
        if key.upper() in names:
            monkeypatch.delenv(key)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def problems(**env: str) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        load_settings(**env)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def problems_from_env(monkeypatch, **env: str) -> list[str]:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    return caught.value.problems


def test_defaults(tmp_path):
    settings = load_settings()
    assert settings.token is None
    assert settings.faq_dir == SHIPPED_FAQ_DIR
    assert settings.data_dir == tmp_path / "xdg" / "faqbot-12msp"
    assert settings.data_dir == default_data_dir()
    assert settings.guild_ids == ()
    assert settings.mod_role_ids == ()
    assert settings.mod_log_channel_id is None
    assert settings.log_level == "INFO"
    assert settings.log_format == "text"
    assert settings.health_port is None
    assert settings.health_host == "127.0.0.1"
    assert settings.shard_count is None
    assert settings.shard_ids == ()
    assert settings.retention_days == 90
    assert settings.cooldown_rate == 5
    assert settings.cooldown_seconds == 30.0
    assert settings.rate_limits == RateLimits(
        per_channel=12, per_user=5, post_seconds=60, ceiling=60, ceiling_seconds=60
    )
    assert settings.reload_debounce_seconds == 1.0


def test_shipped_faq_dir_does_not_depend_on_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert load_settings().faq_dir == Path(__file__).resolve().parent.parent / "faq"


def test_every_setting_read_from_the_environment(monkeypatch, tmp_path):
    faq = tmp_path / "faq"
    faq.mkdir()
    env = {
        "DISCORD_TOKEN": f"  {TOKEN}\n",
        "FAQ_DIR": str(faq),
        "DATA_DIR": str(tmp_path / "data"),
        "GUILD_IDS": f"{GUILD}, {OTHER_GUILD}",
        "MOD_ROLE_IDS": f"{OTHER_GUILD} {GUILD}",
        "MOD_LOG_CHANNEL_ID": GUILD,
        "LOG_LEVEL": "debug",
        "LOG_FORMAT": "JSON",
        "HEALTH_PORT": "8080",
        "HEALTH_HOST": "0.0.0.0",
        "SHARD_COUNT": "4",
        "SHARD_IDS": "2,3",
        "RETENTION_DAYS": "30",
        "COOLDOWN_RATE": "3",
        "COOLDOWN_SECONDS": "10.5",
        "PUBLIC_POSTS_PER_CHANNEL": "20",
        "PUBLIC_POSTS_PER_USER": "4",
        "PUBLIC_POST_SECONDS": "90",
        "ABUSE_CEILING": "100",
        "ABUSE_CEILING_SECONDS": "30.5",
        "RELOAD_DEBOUNCE_SECONDS": "0",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    s = load_settings()
    assert s.token == TOKEN
    assert (s.faq_dir, s.data_dir) == (faq, tmp_path / "data")
    assert s.guild_ids == (int(GUILD), int(OTHER_GUILD))
    assert s.mod_role_ids == (int(OTHER_GUILD), int(GUILD))
    assert s.mod_log_channel_id == int(GUILD)
    assert (s.log_level, s.log_format) == ("DEBUG", "json")
    assert (s.health_host, s.health_port) == ("0.0.0.0", 8080)
    assert (s.shard_count, s.shard_ids) == (4, (2, 3))
    assert (s.retention_days, s.cooldown_rate, s.cooldown_seconds) == (30, 3, 10.5)
    assert s.rate_limits == RateLimits(
        per_channel=20, per_user=4, post_seconds=90, ceiling=100, ceiling_seconds=30.5
    )
    assert s.reload_debounce_seconds == 0


def test_empty_variables_mean_default(monkeypatch):
    for key in ("GUILD_IDS", "HEALTH_PORT", "RETENTION_DAYS", "DISCORD_TOKEN", "SHARD_COUNT"):
        monkeypatch.setenv(key, "")
    settings = load_settings()
    assert settings.guild_ids == () and settings.health_port is None
    assert settings.retention_days == 90 and settings.token is None


def test_settings_are_immutable():
    settings = load_settings()
    with pytest.raises(ValueError):
        settings.log_level = "DEBUG"  # type: ignore[misc]


def test_duplicate_ids_are_kept_once():
    assert load_settings(guild_ids=f"{GUILD},{GUILD}").guild_ids == (int(GUILD),)


# --- bad values: one line each, naming the variable ---


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"GUILD_IDS": "abc"}, "GUILD_IDS: 'abc' is not a Discord id (a number of 15-20 digits)"),
        ({"GUILD_IDS": f"{GUILD},12"}, "GUILD_IDS: '12' is not a Discord id"),
        ({"MOD_ROLE_IDS": "x y"}, "MOD_ROLE_IDS: 'x', 'y' are not Discord ids"),
        ({"MOD_LOG_CHANNEL_ID": "general"}, "MOD_LOG_CHANNEL_ID: 'general' is not a Discord id"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL: must be 'DEBUG', 'INFO', 'WARNING', 'ERROR' or "),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT: must be 'text' or 'json' (got 'xml')"),
        ({"HEALTH_PORT": "http"}, "HEALTH_PORT: must be a whole number (got 'http')"),
        ({"HEALTH_PORT": "70000"}, "HEALTH_PORT: must be at most 65535 (got '70000')"),
        ({"HEALTH_PORT": "0"}, "HEALTH_PORT: must be at least 1 (got '0')"),
        ({"HEALTH_HOST": "  "}, "HEALTH_HOST: '  ' is not a host name or IP address"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT: must be at least 1 (got '0')"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "x,-1"}, "SHARD_IDS: 'x', '-1': shard ids are whole"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS: is set but SHARD_COUNT is not: set both"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1,2"}, "SHARD_IDS: 2 out of range for SHARD_COUNT=2"),
        ({"RETENTION_DAYS": "0"}, "RETENTION_DAYS: must be at least 1 (got '0')"),
        ({"RETENTION_DAYS": "1.5"}, "RETENTION_DAYS: must be a whole number (got '1.5')"),
        ({"COOLDOWN_RATE": "-1"}, "COOLDOWN_RATE: must be at least 1 (got '-1')"),
        ({"COOLDOWN_SECONDS": "0"}, "COOLDOWN_SECONDS: must be greater than 0 (got '0')"),
        ({"COOLDOWN_SECONDS": "soon"}, "COOLDOWN_SECONDS: must be a number (got 'soon')"),
        ({"PUBLIC_POSTS_PER_USER": "0"}, "PUBLIC_POSTS_PER_USER: must be at least 1 (got '0')"),
        ({"ABUSE_CEILING_SECONDS": "0"}, "ABUSE_CEILING_SECONDS: must be greater than 0"),
        ({"RELOAD_DEBOUNCE_SECONDS": "-1"}, "RELOAD_DEBOUNCE_SECONDS: must be at least 0"),
        ({"DISCORD_TOKEN": f"Bot {TOKEN}"}, "DISCORD_TOKEN: remove the 'Bot ' prefix"),
        ({"DISCORD_TOKEN": "abc def"}, "DISCORD_TOKEN: contains spaces or line breaks"),
    ],
)
def test_bad_value_is_one_clear_line(monkeypatch, env, expected):
    found = problems_from_env(monkeypatch, **env)
    assert len(found) == 1, found
    assert found[0].startswith(expected), found[0]


def test_missing_faq_dir_is_reported_as_such(monkeypatch, tmp_path):
    missing = tmp_path / "no-such-faq"
    assert problems_from_env(monkeypatch, FAQ_DIR=str(missing)) == [
        f"FAQ_DIR: {missing} does not exist"
    ]


def test_faq_dir_that_is_a_file(monkeypatch, tmp_path):
    file = tmp_path / "faq.yaml"
    file.write_text("x: 1\n")
    assert problems_from_env(monkeypatch, FAQ_DIR=str(file)) == [
        f"FAQ_DIR: {file} is not a directory"
    ]


def test_data_dir_that_is_a_file(monkeypatch, tmp_path):
    file = tmp_path / "data"
    file.write_text("")
    assert problems_from_env(monkeypatch, DATA_DIR=str(file)) == [
        f"DATA_DIR: {file} is not a directory"
    ]


def test_data_dir_not_yet_created_is_fine_and_not_created(monkeypatch, tmp_path):
    target = tmp_path / "a" / "b"
    monkeypatch.setenv("DATA_DIR", str(target))
    assert load_settings().data_dir == target
    assert not target.exists()


def test_data_dir_below_a_file(monkeypatch, tmp_path):
    file = tmp_path / "state"
    file.write_text("")
    assert problems_from_env(monkeypatch, DATA_DIR=str(file / "data")) == [
        f"DATA_DIR: {file / 'data'} cannot be created ({file} is a file)"
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_data_dir_not_writable(monkeypatch, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        found = problems_from_env(monkeypatch, DATA_DIR=str(locked / "data"))
    finally:
        locked.chmod(0o700)
    assert found == [
        f"DATA_DIR: {locked / 'data'} does not exist and cannot be created"
        f" ({locked} is not writable)"
    ]


def test_relative_paths_are_made_absolute_at_load(monkeypatch, tmp_path):
    (tmp_path / "myfaq").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAQ_DIR", "myfaq")
    monkeypatch.setenv("DATA_DIR", "state")
    settings = load_settings()
    assert settings.faq_dir == tmp_path / "myfaq"
    assert settings.data_dir == tmp_path / "state"


def test_every_problem_is_reported_not_just_the_first(monkeypatch, tmp_path):
    found = problems_from_env(
        monkeypatch,
        FAQ_DIR=str(tmp_path / "missing"),
        GUILD_IDS="abc",
        LOG_FORMAT="xml",
        HEALTH_PORT="99999",
        SHARD_COUNT="2",
        SHARD_IDS="5",
        RETENTION_DAYS="never",
    )
    names = [line.split(":", 1)[0] for line in found]
    assert sorted(names) == sorted(
        ["FAQ_DIR", "GUILD_IDS", "LOG_FORMAT", "HEALTH_PORT", "SHARD_IDS", "RETENTION_DAYS"]
    )


def test_keyword_overrides_are_validated_too():
    assert problems(health_port="abc") == ["HEALTH_PORT: must be a whole number (got 'abc')"]


# --- the token is a secret ---


def test_token_never_appears_in_repr_str_or_dump(monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    settings = load_settings()
    assert settings.token == TOKEN
    for text in (
        repr(settings),
        str(settings),
        settings.model_dump_json(),
        str(settings.model_dump()),
        str(settings.summary()),
    ):
        assert TOKEN not in text
    assert settings.summary()["DISCORD_TOKEN"] == "set"


def test_bad_token_message_does_not_echo_the_token(monkeypatch):
    secret = "abc def-very-secret"
    found = problems_from_env(monkeypatch, DISCORD_TOKEN=secret)
    assert "very-secret" not in "\n".join(found)


def test_require_token():
    with pytest.raises(SettingsError, match=r"^DISCORD_TOKEN: not set"):
        load_settings().require_token()
    assert load_settings(discord_token=TOKEN).require_token() == TOKEN


def test_summary_is_loggable():
    summary = load_settings(guild_ids=GUILD).summary()
    assert summary["GUILD_IDS"] == (int(GUILD),)
    assert summary["DISCORD_TOKEN"] == "not set"
    assert isinstance(summary["FAQ_DIR"], str)
    assert set(summary) == {name.upper() for name in Settings.model_fields}


# --- env file ---


def test_env_file_is_read(tmp_path):
    env_file = tmp_path / "bot.env"
    env_file.write_text(f"# comment\nDISCORD_TOKEN={TOKEN}\nexport GUILD_IDS={GUILD}\n")
    settings = load_settings(env_file)
    assert settings.token == TOKEN
    assert settings.guild_ids == (int(GUILD),)


def test_environment_wins_over_env_file(monkeypatch, tmp_path):
    env_file = tmp_path / "bot.env"
    env_file.write_text("LOG_LEVEL=DEBUG\n")
    monkeypatch.setenv("LOG_LEVEL", "ERROR")
    assert load_settings(env_file).log_level == "ERROR"


def test_bad_value_in_env_file_names_file_and_line(tmp_path):
    env_file = tmp_path / "bot.env"
    env_file.write_text("LOG_LEVEL=INFO\n\nRETENTION_DAYS=forever\n")
    assert problems(env_file=env_file) == [
        f"{env_file}:3: RETENTION_DAYS: must be a whole number (got 'forever')"
    ]


def test_misspelt_setting_in_env_file_is_reported(tmp_path):
    env_file = tmp_path / "bot.env"
    env_file.write_text(f"GUILD_ID={GUILD}\nTZ=Europe/Zurich\n")
    assert problems(env_file=env_file) == [
        f"{env_file}:1: GUILD_ID: unknown setting, did you mean GUILD_IDS?"
    ]


def test_missing_env_file(tmp_path):
    assert problems(env_file=tmp_path / "nope.env") == [
        f"{tmp_path / 'nope.env'}: env file not found"
    ]


def test_every_setting_is_documented():
    doc = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = doc.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for name in Settings.model_fields:
        assert f"| `{name.upper()}` |" in table, (
            f"{name.upper()} missing from the README configuration table"
        )


def test_handoff_settings(monkeypatch):
    settings = load_settings()
    assert settings.handoff_channel_id is None, "no channel: no 'Ask the organisers' button"
    assert settings.handoff_max_open_per_user == 3
    assert settings.handoff_remind_after_hours == 24
    monkeypatch.setenv("HANDOFF_CHANNEL_ID", GUILD)
    monkeypatch.setenv("HANDOFF_MAX_OPEN_PER_USER", "5")
    monkeypatch.setenv("HANDOFF_REMIND_AFTER_HOURS", "0.5")
    s = load_settings()
    assert (s.handoff_channel_id, s.handoff_max_open_per_user) == (int(GUILD), 5)
    assert s.handoff_remind_after_hours == 0.5
    found = problems_from_env(
        monkeypatch,
        HANDOFF_CHANNEL_ID="#organisers",
        HANDOFF_MAX_OPEN_PER_USER="0",
        HANDOFF_REMIND_AFTER_HOURS="never",
    )
    assert len(found) == 3
    assert any(p.startswith("HANDOFF_CHANNEL_ID") and "not a Discord id" in p for p in found)
    assert any(p.startswith("HANDOFF_MAX_OPEN_PER_USER") for p in found)
    assert any(p.startswith("HANDOFF_REMIND_AFTER_HOURS") for p in found)
