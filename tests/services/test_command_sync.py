"""Command sync: only changed scopes are registered again."""

from __future__ import annotations

import json
from pathlib import Path

from bot.services.command_sync import (
    EMPTY_HASH,
    GLOBAL,
    CommandSyncState,
    guild_scope,
    payload_hash,
)


def test_command_sync_plans_only_changes(tmp_path: Path) -> None:
    state = CommandSyncState(tmp_path)
    commands = [{"name": "ask", "options": [{"name": "q", "type": 3}]}, {"name": "faq"}]
    [first] = state.plan(1, {GLOBAL: commands})
    assert first.scope == GLOBAL and first.commands == 2
    state.record(1, [first])
    assert state.plan(1, {GLOBAL: list(reversed(commands))}) == []
    assert state.plan(2, {GLOBAL: commands}), "another application syncs again"
    assert payload_hash([{"b": 1, "a": 2}]) == payload_hash([{"a": 2, "b": 1}])

    guild = guild_scope(123456789012345678)
    plans = state.plan(1, {GLOBAL: [], guild: commands})
    assert [(p.scope, p.digest == EMPTY_HASH) for p in plans] == [(GLOBAL, True), (guild, False)]
    state.record(1, plans)
    assert json.loads((tmp_path / "command-sync.json").read_text())["scopes"] == {
        guild: payload_hash(commands)
    }
    back = state.plan(1, {GLOBAL: commands})
    assert [(p.scope, p.digest == EMPTY_HASH) for p in back] == [(GLOBAL, False), (guild, True)]
    assert [p.guild_id for p in back] == [None, 123456789012345678]
    assert not list(tmp_path.glob(".*.tmp"))


def test_command_sync_ignores_a_broken_state_file(tmp_path: Path) -> None:
    (tmp_path / "command-sync.json").write_text("{not json")
    assert CommandSyncState(tmp_path).plan(1, {GLOBAL: [{"name": "ask"}]})
