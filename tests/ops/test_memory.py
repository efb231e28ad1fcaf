"""settle_heap: the long-lived heap is frozen out of the collector's walks, and what a reload
replaced is still collected (frozen objects never are)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.ops.memory import settle_heap
from bot.services.knowledge import KnowledgeBase
from bot.settings import SHIPPED_FAQ_DIR


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_the_served_index_is_frozen_out_of_collections() -> None:
    knowledge = KnowledgeBase(SHIPPED_FAQ_DIR)
    knowledge.reload()
    settle_heap()
    tracked = {id(o) for o in gc.get_objects()}
    assert gc.get_freeze_count() > 0
    assert id(knowledge.index) not in tracked
    assert id(knowledge.index.faq.entries) not in tracked


def test_a_replaced_object_in_a_cycle_is_collected_at_the_next_settle() -> None:
    node = _Node()
    alive = weakref.ref(node)
    settle_heap()
    del node
    gc.collect()
    assert alive() is not None, "frozen: the collector does not see it"
    settle_heap()
    assert alive() is None
