"""A thousand bad ids are still one short line (issue 12, fault 6): the first few are named,
the rest counted."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


def test_a_thousand_malformed_guild_ids_are_one_short_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GUILD_IDS", ",".join(f"guild{n}" for n in range(1000)))
    with pytest.raises(SettingsError) as caught:
        load_settings()
    [line] = caught.value.problems
    assert line == (
        "GUILD_IDS: 'guild0', 'guild1', 'guild2', 'guild3', 'guild4' and 995 more are not "
        "Discord ids (numbers of 15-20 digits)"
    )  # it was one line of 12,000 characters


def test_one_huge_malformed_id_is_clipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUILD_IDS", "x" * 5000)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    [line] = caught.value.problems
    assert len(line) < 150 and line.endswith("is not a Discord id (a number of 15-20 digits)")
