"""Keep the cyclic garbage collector off the long-lived heap.

The loaded FAQ index, the encoder, discord.py and the translations are about 100,000
tracked objects that live as long as the process (or the FAQ version). A full collection
walks all of them: about 70 ms with the event loop stopped, long enough to show in the
answers' tail latency under load. `settle_heap` collects once and then freezes what is left
(`gc.freeze`), so later collections walk only what was allocated since.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


def settle_heap() -> None:
    """Collect everything (a replaced FAQ index included: frozen objects are never
    collected) and freeze the survivors. Call it when start-up is done and after each
    reload that swapped in a new index; it pauses the process once, for one full collection."""
    started = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    log.debug(
        "heap settled: %d objects frozen in %.0f ms",
        gc.get_freeze_count(),
        (time.perf_counter() - started) * 1e3,
    )
