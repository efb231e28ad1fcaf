"""All runtime settings, read from the environment (or an env file) and validated once."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

log = logging.getLogger(__name__)

SHIPPED_FAQ_DIR = Path(__file__).resolve().parent.parent / "faq"
"""The FAQ that ships with the package (beside `bot/` in a checkout and in site-packages)."""


def default_data_dir() -> Path:
    """Where run-time state lives when DATA_DIR is not set: the XDG data directory."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "faqbot-12msp"


class SettingsError(Exception):
    """Raised with one readable line per invalid setting."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _split_ids(value: object) -> object:
    """Accept `1,2 3` (comma and/or space separated) as well as a list."""
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    if isinstance(value, int):
        return [value]
    return value


def _check_discord_id(value: object) -> int:
    text = str(value).strip()
    if not text.isdigit() or not 15 <= len(text) <= 20:
        raise ValueError(f"{text!r} is not a Discord id (a number of 15-20 digits)")
    return int(text)


DiscordIds = Annotated[list[int], NoDecode]


class Settings(BaseSettings):
    """Every setting the bot reads; environment variable names are the upper-case field names."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    discord_token: SecretStr | None = None
    faq_dir: Path = SHIPPED_FAQ_DIR
    data_dir: Path = Field(default_factory=default_data_dir)
    guild_ids: DiscordIds = Field(default_factory=list)
    mod_role_ids: DiscordIds = Field(default_factory=list)
    mod_log_channel_id: int | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    health_port: int | None = Field(default=None, ge=1, le=65535)
    health_host: str = "127.0.0.1"
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    retention_days: int = Field(default=90, ge=1)
    cooldown_rate: int = Field(default=5, ge=1)
    cooldown_seconds: float = Field(default=30.0, gt=0)
    reload_debounce_seconds: float = Field(default=1.0, ge=0)

    @field_validator("guild_ids", "mod_role_ids", mode="before")
    @classmethod
    def _parse_id_list(cls, value: object) -> object:
        ids = _split_ids(value)
        if isinstance(ids, list):
            return [_check_discord_id(item) for item in ids]
        return ids

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _parse_shard_ids(cls, value: object) -> object:
        return _split_ids(value)

    @field_validator("mod_log_channel_id", mode="before")
    @classmethod
    def _parse_channel_id(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return _check_discord_id(value)

    @field_validator("health_port", "shard_count", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _fold_case(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return value.strip().upper() if value.strip().upper() in _LEVELS else value.strip().lower()

    @model_validator(mode="after")
    def _shards_consistent(self) -> Settings:
        if self.shard_ids and self.shard_count is None:
            raise ValueError("SHARD_IDS is set but SHARD_COUNT is not: set both")
        if self.shard_count is not None:
            bad = [i for i in self.shard_ids if i >= self.shard_count]
            if bad:
                raise ValueError(
                    f"SHARD_IDS: {bad} out of range for SHARD_COUNT={self.shard_count}"
                    f" (ids go from 0 to {self.shard_count - 1})"
                )
        return self

    @property
    def token(self) -> str | None:
        """The bot token as plain text, or None when unset or blank."""
        if self.discord_token is None:
            return None
        return self.discord_token.get_secret_value().strip() or None


_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


def load_settings(env_file: Path | None = None, **overrides: object) -> Settings:
    """Read and validate the settings; raise SettingsError with one line per problem."""
    if env_file is not None and not env_file.is_file():
        raise SettingsError([f"env file {env_file}: no such file"])
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        raise SettingsError([_describe(error) for error in exc.errors()]) from None


def _describe(error: dict) -> str:
    """One line naming the environment variable and what is wrong with its value."""
    loc = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
    name = loc[0].upper() if loc else "settings"
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if message.startswith(f"{name}:") or not loc:
        return message
    value = error.get("input")
    plain = isinstance(value, dict | list) or value is None or error.get("type") == "value_error"
    shown = "" if plain else f" (got {value!r})"
    return f"{name}: {message}{shown}"
