"""Finding a named entry: an autocomplete pick or an exact question."""

from __future__ import annotations

from bot.engine import lookup
from bot.engine.index import FaqIndex


def test_named_entry_by_id_or_exact_question(index: FaqIndex) -> None:
    assert lookup.named_entry(index, "id:meeting-venue").id == "meeting-venue"  # type: ignore[union-attr]
    assert lookup.named_entry(index, "where is the 12msp held").id == "meeting-venue"  # type: ignore[union-attr]
    assert lookup.named_entry(index, "id:nope") is None
    assert lookup.named_entry(index, "venue please") is None
