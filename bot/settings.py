"""All runtime settings, read from the environment (or an env file) and validated once.

Environment variable names are the upper-case field names of `Settings`. An empty
variable (`GUILD_IDS=`) means "use the default". Every problem is reported, one line
each, naming the variable and, for values read from an env file, the `file:line`.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.engine.text import clip, shown_list
from bot.services.rate_policy import RateLimits

SHIPPED_FAQ_DIR = Path(__file__).resolve().parent.parent / "faq"
"""The FAQ that ships with the package (beside `bot/` in a checkout and in site-packages)."""

_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_SECRET_FIELDS = frozenset({"discord_token"})
_DEFAULT_LIMITS = RateLimits()


def default_data_dir() -> Path:
    """Where run-time state lives when DATA_DIR is not set: the XDG data directory."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser().absolute() / "faqbot-12msp"


class SettingsError(Exception):
    """Raised with one readable line per invalid setting."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _split(value: object) -> object:
    """Accept `1,2 3` (comma and/or space separated) as well as a list or a single number."""
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    if isinstance(value, int):
        return [value]
    return value


def _is_discord_id(text: str) -> bool:
    return text.isdigit() and 15 <= len(text) <= 20


def _check_discord_id(value: object) -> int:
    text = str(value).strip()
    if not _is_discord_id(text):
        raise ValueError(f"{text!r} is not a Discord id (a number of 15-20 digits)")
    return int(text)


def _check_discord_ids(value: object) -> object:
    items = _split(value)
    if not isinstance(items, list | tuple):
        return items
    texts = [str(item).strip() for item in items]
    bad = [text for text in texts if not _is_discord_id(text)]
    if len(bad) == 1:
        raise ValueError(f"{clip(repr(bad[0]), 60)} is not a Discord id (a number of 15-20 digits)")
    if bad:
        shown = shown_list([clip(repr(text), 60) for text in bad])
        raise ValueError(f"{shown} are not Discord ids (numbers of 15-20 digits)")
    return tuple(dict.fromkeys(int(text) for text in texts))


DiscordIds = Annotated[tuple[int, ...], NoDecode]


class Settings(BaseSettings):
    """Every setting the bot reads; environment variable names are the upper-case field names."""

    model_config = SettingsConfigDict(
        extra="ignore",
        case_sensitive=False,
        frozen=True,
        env_ignore_empty=True,
        validate_default=True,
    )

    discord_token: SecretStr | None = None
    faq_dir: Path = SHIPPED_FAQ_DIR
    data_dir: Path = Field(default_factory=default_data_dir)
    guild_ids: DiscordIds = ()
    mod_role_ids: DiscordIds = ()
    mod_log_channel_id: int | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    health_port: int | None = Field(default=None, ge=1, le=65535)
    health_host: str = "127.0.0.1"
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: Annotated[tuple[int, ...], NoDecode] = ()
    retention_days: int = Field(default=90, ge=1)
    cooldown_rate: int = Field(default=5, ge=1)
    cooldown_seconds: float = Field(default=30.0, gt=0)
    public_posts_per_channel: int = Field(default=_DEFAULT_LIMITS.per_channel, ge=1)
    public_posts_per_user: int = Field(default=_DEFAULT_LIMITS.per_user, ge=1)
    public_post_seconds: float = Field(default=_DEFAULT_LIMITS.post_seconds, gt=0)
    abuse_ceiling: int = Field(default=_DEFAULT_LIMITS.ceiling, ge=1)
    abuse_ceiling_seconds: float = Field(default=_DEFAULT_LIMITS.ceiling_seconds, gt=0)
    reload_debounce_seconds: float = Field(default=1.0, ge=0)
    handoff_channel_id: int | None = None
    handoff_max_open_per_user: int = Field(default=3, ge=1, le=50)
    handoff_remind_after_hours: float = Field(default=24.0, gt=0)

    @field_validator("discord_token", mode="before")
    @classmethod
    def _check_token(cls, value: object) -> object:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if not isinstance(value, str):
            return value
        token = value.strip()
        if not token:
            return None
        # Never echo the token itself, only what is wrong with it.
        if token.lower().startswith("bot "):
            raise ValueError("remove the 'Bot ' prefix: paste the token alone")
        if any(char.isspace() for char in token):
            raise ValueError("contains spaces or line breaks: paste the token alone")
        return token

    @field_validator("faq_dir", mode="after")
    @classmethod
    def _check_faq_dir(cls, value: Path) -> Path:
        path = value.expanduser().absolute()
        if not path.exists():
            raise ValueError(f"{path} does not exist")
        if not path.is_dir():
            raise ValueError(f"{path} is not a directory")
        return path

    @field_validator("data_dir", mode="after")
    @classmethod
    def _check_data_dir(cls, value: Path) -> Path:
        path = value.expanduser().absolute()
        if path.exists():
            if not path.is_dir():
                raise ValueError(f"{path} is not a directory")
            if not os.access(path, os.W_OK | os.X_OK):
                raise ValueError(f"{path} is not writable by this user (uid {os.getuid()})")
            return path
        parent = next(p for p in path.parents if p.exists())
        if not parent.is_dir():
            raise ValueError(f"{path} cannot be created ({parent} is a file)")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise ValueError(
                f"{path} does not exist and cannot be created ({parent} is not writable)"
            )
        return path

    @field_validator("guild_ids", "mod_role_ids", mode="before")
    @classmethod
    def _parse_id_list(cls, value: object) -> object:
        return _check_discord_ids(value)

    @field_validator("mod_log_channel_id", "handoff_channel_id", mode="before")
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

    @field_validator("health_host", mode="after")
    @classmethod
    def _check_host(cls, value: str) -> str:
        host = value.strip()
        if not host or any(char.isspace() for char in host):
            raise ValueError(f"{value!r} is not a host name or IP address")
        return host

    @field_validator("log_level", mode="before")
    @classmethod
    def _fold_level(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        level = value.strip().upper()
        return "WARNING" if level == "WARN" else level

    @field_validator("log_format", mode="before")
    @classmethod
    def _fold_format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _parse_shard_ids(cls, value: object) -> object:
        items = _split(value)
        if not isinstance(items, list | tuple):
            return items
        texts = [str(item).strip() for item in items]
        bad = [text for text in texts if not text.isdigit()]
        if bad:
            shown = ", ".join(repr(text) for text in bad)
            raise ValueError(f"{shown}: shard ids are whole numbers from 0 (e.g. SHARD_IDS=0,1)")
        return tuple(dict.fromkeys(int(text) for text in texts))

    @field_validator("shard_ids", mode="after")
    @classmethod
    def _shards_consistent(cls, value: tuple[int, ...], info: ValidationInfo) -> tuple[int, ...]:
        if not value or "shard_count" not in info.data:
            return value  # nothing to check, or SHARD_COUNT has its own error already
        count = info.data["shard_count"]
        if count is None:
            raise ValueError("is set but SHARD_COUNT is not: set both")
        bad = [i for i in value if i >= count]
        if bad:
            raise ValueError(
                f"{', '.join(map(str, bad))} out of range for SHARD_COUNT={count}"
                f" (ids go from 0 to {count - 1})"
            )
        return value

    @property
    def token(self) -> str | None:
        """The bot token as plain text, or None when unset or blank."""
        if self.discord_token is None:
            return None
        return self.discord_token.get_secret_value().strip() or None

    @property
    def rate_limits(self) -> RateLimits:
        """The rate policy's numbers (public posts per channel and user, abuse ceiling)."""
        return RateLimits(
            per_channel=self.public_posts_per_channel,
            per_user=self.public_posts_per_user,
            post_seconds=self.public_post_seconds,
            ceiling=self.abuse_ceiling,
            ceiling_seconds=self.abuse_ceiling_seconds,
        )

    def require_token(self) -> str:
        """The token for commands that connect to Discord; SettingsError when it is missing."""
        token = self.token
        if token is None:
            raise SettingsError(
                ["DISCORD_TOKEN: not set (put it in the environment or the env file)"]
            )
        return token

    def summary(self) -> dict[str, object]:
        """Every setting with the token masked: safe to log at start-up."""
        values: dict[str, object] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if name in _SECRET_FIELDS:
                value = "set" if self.token else "not set"
            elif isinstance(value, Path):
                value = str(value)
            values[name.upper()] = value
        return values


def load_settings(env_file: Path | None = None, **overrides: Any) -> Settings:
    """Read and validate the settings; raise SettingsError with one line per problem.

    Precedence: keyword overrides, then the environment, then `env_file`, then defaults.
    """
    if env_file is not None:
        env_file = env_file.expanduser().absolute()
        if not env_file.is_file():
            raise SettingsError([f"{env_file}: env file not found"])
    env_lines = _env_file_lines(env_file) if env_file is not None else {}
    problems = _unknown_env_keys(env_file, env_lines) if env_file is not None else []
    try:
        settings = Settings(_env_file=env_file, **overrides)
    except ValidationError as exc:
        problems += [
            _where(error, env_file, env_lines, overrides) + _describe(error)
            for error in exc.errors()
        ]
        raise SettingsError(problems) from None
    if problems:
        raise SettingsError(problems)
    return settings


def _env_file_lines(env_file: Path) -> dict[str, int]:
    """Upper-case key -> line number, for every `KEY=value` line of a dotenv file."""
    lines: dict[str, int] = {}
    text = env_file.read_text(encoding="utf-8", errors="replace")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key = line.split("=", 1)[0].strip().removeprefix("export ").strip()
        lines.setdefault(key.upper(), number)
    return lines


def _unknown_env_keys(env_file: Path, env_lines: dict[str, int]) -> list[str]:
    """Keys in the env file that look like misspelt settings (GUILD_ID for GUILD_IDS)."""
    known = [name.upper() for name in Settings.model_fields]
    problems = []
    for key, line in env_lines.items():
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.8)
        if close:
            problems.append(f"{env_file}:{line}: {key}: unknown setting, did you mean {close[0]}?")
    return problems


def _where(
    error: Any, env_file: Path | None, env_lines: dict[str, int], overrides: dict[str, object]
) -> str:
    """`file:line: ` when the bad value came from the env file, else nothing."""
    loc = error.get("loc", ())
    if env_file is None or not loc or not isinstance(loc[0], str):
        return ""
    name = loc[0]
    in_environment = any(key.upper() == name.upper() for key in os.environ)
    if name in overrides or in_environment or name.upper() not in env_lines:
        return ""
    return f"{env_file}:{env_lines[name.upper()]}: "


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def _describe(error: Any) -> str:
    """One line naming the environment variable and what is wrong with its value."""
    loc = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
    field = loc[0] if loc else ""
    name = field.upper() or "settings"
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    message = {
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_parsing": "must be a number",
        "greater_than_equal": f"must be at least {_number(ctx.get('ge'))}",
        "greater_than": f"must be greater than {_number(ctx.get('gt'))}",
        "less_than_equal": f"must be at most {_number(ctx.get('le'))}",
        "literal_error": f"must be {ctx.get('expected')}",
    }.get(kind)
    if message is None:
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        message = message.replace("Input should be", "must be")
    value = error.get("input")
    hidden = field in _SECRET_FIELDS or kind == "value_error"
    plain = hidden or value is None or isinstance(value, dict | list | tuple)
    shown = "" if plain else f" (got {value!r})"
    return f"{name}: {message}{shown}"
