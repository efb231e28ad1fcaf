"""Discord's documented limits, checked on what the bot sends.

Every check returns a list of `Problem`s; the server answers 400 with `error_body(problems)`
(shaped like Discord's "Invalid Form Body") and records a violation. An empty list means Discord
would accept the payload as far as this fake knows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]

LOCALES = frozenset(
    "id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el bg "
    "ru uk hi th zh-CN ja zh-TW ko".split()
)

# Message flags
SUPPRESS_EMBEDS = 1 << 2
EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_VOICE_MESSAGE = 1 << 13
IS_COMPONENTS_V2 = 1 << 15
CHANNEL_MESSAGE_FLAGS = (
    SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_VOICE_MESSAGE | IS_COMPONENTS_V2
)
INTERACTION_MESSAGE_FLAGS = CHANNEL_MESSAGE_FLAGS | EPHEMERAL

# Interaction types and the callback types Discord accepts for each
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
CALLBACK_TYPES_FOR = {
    PING: frozenset({1}),
    APPLICATION_COMMAND: frozenset({4, 5, 9, 10, 12}),
    MESSAGE_COMPONENT: frozenset({4, 5, 6, 7, 9, 10, 12}),
    AUTOCOMPLETE: frozenset({8}),
    MODAL_SUBMIT: frozenset({4, 5, 6, 7, 10}),
}
CALLBACK_NAMES = {
    1: "PONG",
    4: "CHANNEL_MESSAGE_WITH_SOURCE",
    5: "DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE",
    6: "DEFERRED_UPDATE_MESSAGE",
    7: "UPDATE_MESSAGE",
    8: "APPLICATION_COMMAND_AUTOCOMPLETE_RESULT",
    9: "MODAL",
    10: "PREMIUM_REQUIRED",
    12: "LAUNCH_ACTIVITY",
}
INTERACTION_NAMES = {
    1: "PING",
    2: "APPLICATION_COMMAND",
    3: "MESSAGE_COMPONENT",
    4: "APPLICATION_COMMAND_AUTOCOMPLETE",
    5: "MODAL_SUBMIT",
}

SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
V2_TOP_LEVEL_TYPES = frozenset({1, 9, 10, 12, 13, 14, 17})
_CHAT_INPUT_NAME = re.compile(r"^[-_'\w\u0900-\u097F\u0E00-\u0E7F]{1,32}$")


@dataclass(frozen=True)
class Problem:
    path: Path
    code: str
    message: str

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.path) or "<body>"
        return f"{where}: {self.message} ({self.code})"


def error_body(problems: Sequence[Problem], *, code: int = 50035) -> dict[str, Any]:
    """Discord's nested "Invalid Form Body" error: errors.<path>._errors = [{code, message}]."""
    errors: dict[str, Any] = {}
    for problem in problems:
        node = errors
        for part in problem.path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": problem.code, "message": problem.message})
    return {"code": code, "errors": errors, "message": "Invalid Form Body"}


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path, code: str, message: str) -> None:
        self.problems.append(Problem(path, code, message))

    def string(
        self, path: Path, value: object, *, lo: int = 0, hi: int, required: bool = False
    ) -> None:
        if value is None:
            if required:
                self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
            return
        if not isinstance(value, str):
            self.add(path, "BASE_TYPE_STRING", "Must be a string.")
            return
        if lo and not lo <= len(value) <= hi:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {lo} and {hi} in length.")
        elif len(value) > hi:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {hi} or fewer in length.")

    def array(self, path: Path, value: object, *, hi: int, lo: int = 0) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
            return []
        if len(value) > hi:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {hi} or fewer in length.")
        elif len(value) < lo:
            self.add(path, "BASE_TYPE_MIN_LENGTH", f"Must be {lo} or more in length.")
        return value

    def integer(self, path: Path, value: object, *, lo: int, hi: int) -> None:
        if value is None:
            return
        if not isinstance(value, int) or isinstance(value, bool):
            self.add(path, "NUMBER_TYPE_COERCE", f"Value {value!r} is not int.")
        elif not lo <= value <= hi:
            self.add(path, "NUMBER_TYPE_OUT_OF_RANGE", f"Must be between {lo} and {hi}.")


# --- messages ---------------------------------------------------------------------------


def check_message(
    payload: Mapping[str, Any],
    *,
    creating: bool,
    interaction: bool,
    file_count: int = 0,
    base: Path = (),
) -> list[Problem]:
    """A message create or edit payload (channel message, interaction response, follow-up)."""
    c = _Checker()
    if not isinstance(payload, Mapping):
        c.add(base, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return c.problems
    flags = payload.get("flags") or 0
    allowed_flags = INTERACTION_MESSAGE_FLAGS if interaction else CHANNEL_MESSAGE_FLAGS
    if not isinstance(flags, int) or flags & ~allowed_flags:
        c.add((*base, "flags"), "MESSAGE_FLAGS_INVALID", f"Invalid message flags {flags!r}")
    v2 = isinstance(flags, int) and bool(flags & IS_COMPONENTS_V2)

    content = payload.get("content")
    c.string((*base, "content"), content, hi=2000)
    embeds = c.array((*base, "embeds"), payload.get("embeds"), hi=10)
    _check_embeds(c, embeds, (*base, "embeds"))
    components = payload.get("components")
    if components is not None:
        _check_components(c, components, (*base, "components"), v2=v2)
    if "allowed_mentions" in payload and payload["allowed_mentions"] is not None:
        _check_allowed_mentions(c, payload["allowed_mentions"], (*base, "allowed_mentions"))
    if v2 and (content or embeds):
        c.add(
            (*base, "content"),
            "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
            "The 'content' and 'embeds' fields cannot be used when using "
            "MessageFlags.IS_COMPONENTS_V2",
        )
    attachments = c.array((*base, "attachments"), payload.get("attachments"), hi=10)
    if file_count > 10:
        c.add((*base, "files"), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    if creating and not c.problems:
        has_body = bool(
            content
            or embeds
            or components
            or attachments
            or file_count
            or payload.get("sticker_ids")
            or payload.get("poll")
        )
        if not has_body:
            c.add(base, "50006", "Cannot send an empty message")
    return c.problems


def _check_embeds(c: _Checker, embeds: list[Any], path: Path) -> None:
    total = 0
    for i, embed in enumerate(embeds):
        p = (*path, i)
        if not isinstance(embed, Mapping):
            c.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        c.string((*p, "title"), embed.get("title"), hi=256)
        c.string((*p, "description"), embed.get("description"), hi=4096)
        total += len(embed.get("title") or "") + len(embed.get("description") or "")
        for key in ("url",):
            _check_url(c, (*p, key), embed.get(key))
        for key in ("image", "thumbnail"):
            sub = embed.get(key)
            if isinstance(sub, Mapping):
                _check_url(c, (*p, key, "url"), sub.get("url"), required=True)
        color = embed.get("color")
        if color is not None:
            c.integer((*p, "color"), color, lo=0, hi=0xFFFFFF)
        fields = c.array((*p, "fields"), embed.get("fields"), hi=25)
        for j, fld in enumerate(fields):
            fp = (*p, "fields", j)
            if not isinstance(fld, Mapping):
                c.add(fp, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
                continue
            c.string((*fp, "name"), fld.get("name"), lo=1, hi=256, required=True)
            c.string((*fp, "value"), fld.get("value"), lo=1, hi=1024, required=True)
            total += len(fld.get("name") or "") + len(fld.get("value") or "")
        footer = embed.get("footer")
        if isinstance(footer, Mapping):
            c.string((*p, "footer", "text"), footer.get("text"), hi=2048, required=True)
            total += len(footer.get("text") or "")
        author = embed.get("author")
        if isinstance(author, Mapping):
            c.string((*p, "author", "name"), author.get("name"), hi=256, required=True)
            _check_url(c, (*p, "author", "url"), author.get("url"))
            total += len(author.get("name") or "")
    if total > 6000:
        c.add(path, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")


def _check_url(c: _Checker, path: Path, value: object, *, required: bool = False) -> None:
    if value is None:
        if required:
            c.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    if not isinstance(value, str) or not re.match(r"^(https?|attachment)://\S+$", value):
        c.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")
    elif len(value) > 2048:
        c.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 2048 or fewer in length.")


def _check_allowed_mentions(c: _Checker, value: object, path: Path) -> None:
    if not isinstance(value, Mapping):
        c.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    unknown = set(value) - {"parse", "users", "roles", "replied_user"}
    if unknown:
        c.add(path, "UNKNOWN_FIELDS", f"Unknown fields {sorted(unknown)}")
    parse = value.get("parse") or []
    if not isinstance(parse, list) or not set(parse) <= {"users", "roles", "everyone"}:
        c.add((*path, "parse"), "ENUM_TYPE_COERCE", f"Invalid parse values {parse!r}")
        parse = []
    for kind in ("users", "roles"):
        ids = c.array((*path, kind), value.get(kind), hi=100)
        if kind in parse and ids:
            c.add(
                (*path, "parse"),
                "ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )


def _check_components(c: _Checker, components: object, path: Path, *, v2: bool) -> None:
    if not isinstance(components, list):
        c.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    seen_ids: set[str] = set()
    if v2:
        total = sum(1 for _ in _walk(components))
        if total > 40:
            c.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in total components.")
        for i, comp in enumerate(components):
            if isinstance(comp, Mapping) and comp.get("type") not in V2_TOP_LEVEL_TYPES:
                c.add((*path, i, "type"), "COMPONENT_TYPE_INVALID", "Invalid top level type")
        for p, comp in _walk_with_path(components, path):
            if comp.get("type") == 1:
                _check_row(c, comp, p, seen_ids)
            elif comp.get("type") == 10:
                c.string((*p, "content"), comp.get("content"), lo=1, hi=4000, required=True)
        return
    c.array(path, components, hi=5)
    for i, row in enumerate(components):
        p = (*path, i)
        if not isinstance(row, Mapping) or row.get("type") != 1:
            c.add(p, "COMPONENT_LAYOUT_INVALID", "Top-level components must be action rows")
            continue
        _check_row(c, row, p, seen_ids)


def _walk(components: Iterable[Any]) -> Iterable[Mapping[str, Any]]:
    for _, comp in _walk_with_path(components, ()):
        yield comp


def _walk_with_path(
    components: Iterable[Any], path: Path
) -> Iterable[tuple[Path, Mapping[str, Any]]]:
    for i, comp in enumerate(components):
        if not isinstance(comp, Mapping):
            continue
        p = (*path, i)
        yield p, comp
        if isinstance(comp.get("components"), list):
            yield from _walk_with_path(comp["components"], (*p, "components"))
        for key in ("accessory", "component"):
            if isinstance(comp.get(key), Mapping):
                yield (*p, key), comp[key]
                if isinstance(comp[key].get("components"), list):
                    yield from _walk_with_path(comp[key]["components"], (*p, key, "components"))


def _check_row(c: _Checker, row: Mapping[str, Any], path: Path, seen_ids: set[str]) -> None:
    children = row.get("components")
    cp = (*path, "components")
    items = c.array(cp, children, hi=5, lo=1)
    selects = [x for x in items if isinstance(x, Mapping) and x.get("type") in SELECT_TYPES]
    if selects and len(items) > 1:
        c.add(cp, "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "A select menu must be alone in its row")
    for j, item in enumerate(items):
        p = (*cp, j)
        if not isinstance(item, Mapping):
            c.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        kind = item.get("type")
        if kind == 2:
            _check_button(c, item, p, seen_ids)
        elif kind in SELECT_TYPES:
            _check_select(c, item, p, seen_ids)
        elif kind == 4:
            c.add((*p, "type"), "COMPONENT_TYPE_INVALID", "Text inputs are only valid in modals")
        else:
            c.add((*p, "type"), "COMPONENT_TYPE_INVALID", f"Invalid component type {kind!r}")


def _check_custom_id(c: _Checker, item: Mapping[str, Any], path: Path, seen: set[str]) -> None:
    custom_id = item.get("custom_id")
    c.string((*path, "custom_id"), custom_id, lo=1, hi=100, required=True)
    if isinstance(custom_id, str):
        if custom_id in seen:
            c.add(
                (*path, "custom_id"),
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                f"Component custom id cannot be duplicated ({custom_id!r})",
            )
        seen.add(custom_id)


def _check_button(c: _Checker, item: Mapping[str, Any], path: Path, seen: set[str]) -> None:
    style = item.get("style")
    if style not in (1, 2, 3, 4, 5, 6):
        c.add((*path, "style"), "ENUM_TYPE_COERCE", f"Value {style!r} is not a valid enum value.")
        return
    c.string((*path, "label"), item.get("label"), hi=80)
    if style == 5:
        _check_url(c, (*path, "url"), item.get("url"), required=True)
        if item.get("custom_id") is not None:
            c.add(
                (*path, "custom_id"),
                "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                "A link button cannot have a custom id",
            )
    elif style == 6:
        if not item.get("sku_id"):
            c.add((*path, "sku_id"), "BASE_TYPE_REQUIRED", "This field is required")
    else:
        _check_custom_id(c, item, path, seen)
        if item.get("url") is not None:
            c.add(
                (*path, "url"), "BUTTON_COMPONENT_URL_NOT_ALLOWED", "Only link buttons have a url"
            )
    if style != 6 and not item.get("label") and not item.get("emoji"):
        c.add(path, "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A button needs a label or emoji")


def _check_select(c: _Checker, item: Mapping[str, Any], path: Path, seen: set[str]) -> None:
    _check_custom_id(c, item, path, seen)
    c.string((*path, "placeholder"), item.get("placeholder"), hi=150)
    min_values = item.get("min_values", 1)
    max_values = item.get("max_values", 1)
    c.integer((*path, "min_values"), min_values, lo=0, hi=25)
    c.integer((*path, "max_values"), max_values, lo=1, hi=25)
    if isinstance(min_values, int) and isinstance(max_values, int) and min_values > max_values:
        c.add((*path, "min_values"), "SELECT_COMPONENT_MIN_MAX", "min_values > max_values")
    if item.get("type") != 3:
        return
    options = c.array((*path, "options"), item.get("options"), hi=25, lo=1)
    if item.get("options") is None:
        c.add((*path, "options"), "BASE_TYPE_REQUIRED", "This field is required")
    if isinstance(max_values, int) and options and max_values > len(options):
        c.add(
            (*path, "max_values"),
            "SELECT_COMPONENT_TOO_MANY_VALUES",
            "max_values cannot exceed the number of options",
        )
    values: set[str] = set()
    for k, opt in enumerate(options):
        op = (*path, "options", k)
        if not isinstance(opt, Mapping):
            c.add(op, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        c.string((*op, "label"), opt.get("label"), lo=1, hi=100, required=True)
        c.string((*op, "value"), opt.get("value"), lo=1, hi=100, required=True)
        c.string((*op, "description"), opt.get("description"), hi=100)
        if opt.get("value") in values:
            c.add((*op, "value"), "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Duplicate value")
        values.add(opt.get("value"))


# --- interaction callbacks ----------------------------------------------------------------


def check_callback(
    interaction_type: int, payload: Mapping[str, Any], *, file_count: int = 0
) -> list[Problem]:
    """An interaction callback body: {type, data}; the type must fit the interaction."""
    c = _Checker()
    kind = payload.get("type")
    allowed = CALLBACK_TYPES_FOR.get(interaction_type, frozenset())
    if kind not in allowed:
        c.add(
            ("type",),
            "INTERACTION_RESPONSE_TYPE_INVALID",
            f"callback type {kind!r} ({CALLBACK_NAMES.get(kind, '?')}) is not valid for a "
            f"{INTERACTION_NAMES.get(interaction_type, interaction_type)} interaction "
            f"(valid: {sorted(allowed)})",
        )
        return c.problems
    data = payload.get("data")
    if kind in (4, 7):
        if not isinstance(data, Mapping):
            if kind == 4 or data is not None:
                c.add(("data",), "BASE_TYPE_REQUIRED", "This field is required")
            return c.problems
        c.problems += check_message(
            data, creating=kind == 4, interaction=True, file_count=file_count, base=("data",)
        )
    elif kind == 5:
        if isinstance(data, Mapping):
            flags = data.get("flags") or 0
            if flags & ~(EPHEMERAL | SUPPRESS_NOTIFICATIONS | SUPPRESS_EMBEDS | IS_COMPONENTS_V2):
                c.add(("data", "flags"), "MESSAGE_FLAGS_INVALID", f"Invalid flags {flags!r}")
    elif kind == 8:
        c.problems += check_autocomplete(data)
    elif kind == 9:
        c.problems += check_modal(data)
    return c.problems


def check_autocomplete(data: object) -> list[Problem]:
    c = _Checker()
    if not isinstance(data, Mapping):
        c.add(("data",), "BASE_TYPE_REQUIRED", "This field is required")
        return c.problems
    choices = c.array(("data", "choices"), data.get("choices"), hi=25)
    for i, choice in enumerate(choices):
        _check_choice(c, choice, ("data", "choices", i))
    return c.problems


def _check_choice(c: _Checker, choice: object, path: Path) -> None:
    if not isinstance(choice, Mapping):
        c.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    c.string((*path, "name"), choice.get("name"), lo=1, hi=100, required=True)
    value = choice.get("value")
    if isinstance(value, str):
        c.string((*path, "value"), value, hi=100)
    elif not isinstance(value, int | float) or isinstance(value, bool):
        c.add((*path, "value"), "BASE_TYPE_REQUIRED", "A choice needs a string or number value")
    _check_localizations(c, choice.get("name_localizations"), (*path, "name_localizations"), 100)


def check_modal(data: object) -> list[Problem]:
    c = _Checker()
    base: Path = ("data",)
    if not isinstance(data, Mapping):
        c.add(base, "BASE_TYPE_REQUIRED", "This field is required")
        return c.problems
    c.string((*base, "custom_id"), data.get("custom_id"), lo=1, hi=100, required=True)
    c.string((*base, "title"), data.get("title"), lo=1, hi=45, required=True)
    rows = c.array((*base, "components"), data.get("components"), hi=5, lo=1)
    if data.get("components") is None:
        c.add((*base, "components"), "BASE_TYPE_REQUIRED", "This field is required")
    seen: set[str] = set()
    for i, row in enumerate(rows):
        p = (*base, "components", i)
        kind = row.get("type") if isinstance(row, Mapping) else None
        if kind == 1:
            children = c.array((*p, "components"), row.get("components"), hi=1, lo=1)
            for j, child in enumerate(children):
                if not isinstance(child, Mapping) or child.get("type") != 4:
                    c.add((*p, "components", j), "COMPONENT_TYPE_INVALID", "Expected a text input")
                    continue
                _check_text_input(c, child, (*p, "components", j), seen, label_required=True)
        elif kind == 18:
            c.string((*p, "label"), row.get("label"), lo=1, hi=45, required=True)
            c.string((*p, "description"), row.get("description"), hi=100)
            child = row.get("component")
            if not isinstance(child, Mapping):
                c.add((*p, "component"), "BASE_TYPE_REQUIRED", "This field is required")
            elif child.get("type") == 4:
                _check_text_input(c, child, (*p, "component"), seen, label_required=False)
            elif child.get("type") in SELECT_TYPES:
                _check_select(c, child, (*p, "component"), seen)
            elif child.get("type") != 19:
                c.add((*p, "component", "type"), "COMPONENT_TYPE_INVALID", "Invalid component")
        elif kind == 10:
            c.string((*p, "content"), row.get("content"), lo=1, hi=4000, required=True)
        else:
            c.add(p, "COMPONENT_TYPE_INVALID", f"Invalid modal component type {kind!r}")
    return c.problems


def _check_text_input(
    c: _Checker, item: Mapping[str, Any], path: Path, seen: set[str], *, label_required: bool
) -> None:
    _check_custom_id(c, item, path, seen)
    if item.get("style") not in (1, 2):
        c.add((*path, "style"), "ENUM_TYPE_COERCE", "style must be 1 (short) or 2 (paragraph)")
    c.string((*path, "label"), item.get("label"), lo=1, hi=45, required=label_required)
    c.string((*path, "placeholder"), item.get("placeholder"), hi=100)
    c.string((*path, "value"), item.get("value"), hi=4000)
    lo, hi = item.get("min_length"), item.get("max_length")
    c.integer((*path, "min_length"), lo, lo=0, hi=4000)
    c.integer((*path, "max_length"), hi, lo=1, hi=4000)
    if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
        c.add((*path, "min_length"), "TEXT_INPUT_MIN_MAX", "min_length > max_length")


# --- application commands ----------------------------------------------------------------


def check_commands(commands: object) -> list[Problem]:
    """A bulk overwrite (PUT) body: a list of application commands."""
    c = _Checker()
    if not isinstance(commands, list):
        c.add((), "BASE_TYPE_ARRAY", "Must be an array.")
        return c.problems
    counts = {1: 0, 2: 0, 3: 0}
    names: set[tuple[int, str]] = set()
    for i, command in enumerate(commands):
        c.problems += check_command(command, base=(i,))
        if isinstance(command, Mapping):
            kind = command.get("type", 1)
            counts[kind] = counts.get(kind, 0) + 1
            key = (kind, command.get("name"))
            if key in names:
                c.add((i, "name"), "APPLICATION_COMMAND_ALREADY_EXISTS", "Duplicate command name")
            names.add(key)  # type: ignore[arg-type]
    for kind, limit in ((1, 100), (2, 15), (3, 15)):
        if counts.get(kind, 0) > limit:
            c.add((), "APPLICATION_COMMANDS_TOO_MANY", f"More than {limit} commands of type {kind}")
    return c.problems


def check_command(command: object, *, base: Path = ()) -> list[Problem]:
    c = _Checker()
    if not isinstance(command, Mapping):
        c.add(base, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return c.problems
    kind = command.get("type", 1)
    if kind not in (1, 2, 3, 4):
        c.add((*base, "type"), "ENUM_TYPE_COERCE", f"Invalid command type {kind!r}")
        return c.problems
    name = command.get("name")
    if kind == 1:
        _check_chat_input_name(c, name, (*base, "name"))
        c.string((*base, "description"), command.get("description"), lo=1, hi=100, required=True)
        _check_localizations(
            c, command.get("description_localizations"), (*base, "description_localizations"), 100
        )
    else:
        c.string((*base, "name"), name, lo=1, hi=32, required=True)
        if command.get("description"):
            c.add(
                (*base, "description"),
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have a description",
            )
        if command.get("options"):
            c.add(
                (*base, "options"), "APPLICATION_COMMAND_OPTIONS", "Context menus take no options"
            )
    _check_localizations(c, command.get("name_localizations"), (*base, "name_localizations"), 32)
    perms = command.get("default_member_permissions")
    valid_int = isinstance(perms, int) and not isinstance(perms, bool) and perms >= 0
    if perms is not None and not valid_int and not (isinstance(perms, str) and perms.isdigit()):
        c.add((*base, "default_member_permissions"), "PERMISSIONS", "Must be a permission string")
    _check_options(c, command.get("options"), (*base, "options"), depth=0)
    if _command_size(command) > 4000:
        c.add(base, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)")
    return c.problems


def _check_chat_input_name(c: _Checker, name: object, path: Path) -> None:
    if not isinstance(name, str) or not _CHAT_INPUT_NAME.match(name):
        c.add(path, "APPLICATION_COMMAND_INVALID_NAME", f"Command name {name!r} is invalid")
    elif name != name.lower():
        c.add(path, "APPLICATION_COMMAND_INVALID_NAME", f"Command name {name!r} must be lowercase")


def _check_localizations(c: _Checker, value: object, path: Path, hi: int) -> None:
    if value is None:
        return
    if not isinstance(value, Mapping):
        c.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    for locale, text in value.items():
        if locale not in LOCALES:
            c.add((*path, locale), "ENUM_TYPE_COERCE", f"{locale!r} is not a valid locale")
        c.string((*path, locale), text, lo=1, hi=hi, required=True)


def _check_options(c: _Checker, options: object, path: Path, *, depth: int) -> None:
    items = c.array(path, options, hi=25)
    seen: set[str] = set()
    optional_seen = False
    kinds = set()
    for i, opt in enumerate(items):
        p = (*path, i)
        if not isinstance(opt, Mapping):
            c.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        kind = opt.get("type")
        kinds.add(kind in (1, 2))
        if kind not in range(1, 12):
            c.add((*p, "type"), "ENUM_TYPE_COERCE", f"Invalid option type {kind!r}")
            continue
        _check_chat_input_name(c, opt.get("name"), (*p, "name"))
        if opt.get("name") in seen:
            c.add((*p, "name"), "APPLICATION_COMMAND_OPTION_NAME_NOT_UNIQUE", "Duplicate name")
        seen.add(opt.get("name"))  # type: ignore[arg-type]
        c.string((*p, "description"), opt.get("description"), lo=1, hi=100, required=True)
        _check_localizations(c, opt.get("name_localizations"), (*p, "name_localizations"), 32)
        _check_localizations(
            c, opt.get("description_localizations"), (*p, "description_localizations"), 100
        )
        if kind in (1, 2):
            if (kind == 2 and depth > 0) or (kind == 1 and depth > 1):
                c.add((*p, "type"), "APPLICATION_COMMAND_OPTION_NESTING", "Nested too deeply")
            sub = opt.get("options") or []
            if kind == 2 and any(isinstance(s, Mapping) and s.get("type") != 1 for s in sub):
                c.add(
                    (*p, "options"), "APPLICATION_COMMAND_OPTION_TYPE", "Groups hold sub-commands"
                )
            _check_options(c, sub, (*p, "options"), depth=depth + 1)
            continue
        if opt.get("required"):
            if optional_seen:
                c.add(
                    (*p, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        choices = c.array((*p, "choices"), opt.get("choices"), hi=25)
        for j, choice in enumerate(choices):
            _check_choice(c, choice, (*p, "choices", j))
        if choices and opt.get("autocomplete"):
            c.add((*p, "autocomplete"), "AUTOCOMPLETE_CHOICES", "autocomplete with choices")
        c.integer((*p, "min_length"), opt.get("min_length"), lo=0, hi=6000)
        c.integer((*p, "max_length"), opt.get("max_length"), lo=1, hi=6000)
    if len(kinds) > 1:
        c.add(path, "APPLICATION_COMMAND_OPTIONS_MIXED", "Sub-commands cannot mix with options")


def _command_size(command: Mapping[str, Any]) -> int:
    def longest(text: object, localizations: object) -> int:
        lengths = [len(text) if isinstance(text, str) else 0]
        if isinstance(localizations, Mapping):
            lengths += [len(v) for v in localizations.values() if isinstance(v, str)]
        return max(lengths)

    def size(node: Mapping[str, Any]) -> int:
        total = longest(node.get("name"), node.get("name_localizations"))
        total += longest(node.get("description"), node.get("description_localizations"))
        for choice in node.get("choices") or []:
            if isinstance(choice, Mapping):
                total += longest(choice.get("name"), choice.get("name_localizations"))
                total += len(str(choice.get("value", "")))
        for opt in node.get("options") or []:
            if isinstance(opt, Mapping):
                total += size(opt)
        return total

    return size(command)
