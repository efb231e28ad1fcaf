"""Prometheus metrics for the bot, in a registry of their own (tests can create several).

Label values are a fixed vocabulary (`OUTCOMES`, `SOURCES`, `RELOAD_RESULTS`): anything
else is counted as "other" with a warning, so a typo never raises in the answer path and
never creates unbounded series. Every method is cheap and safe to call from the event loop.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

log = logging.getLogger(__name__)

OUTCOMES: tuple[str, ...] = ("answered", "suggested", "declined", "refused", "not_stated")
"""The engine's `Outcome` values: answered (one entry shown), suggested (choices offered),
declined (nothing fits), refused (not a question we can process), not_stated (the release
is silent on what was asked; the nearest entry shown). Enum members work too."""
SOURCES: tuple[str, ...] = (
    "slash",
    "autocomplete",
    "mention",
    "dm",
    "button",
    "context_menu",
    "cli",
)
RELOAD_RESULTS: tuple[str, ...] = ("ok", "failed")
EXPIRED_STAGES: tuple[str, ...] = ("arrival", "reply")
"""Where an interaction was found too old to answer: on arrival (dropped without any work),
or when replying (Discord answered 10062 "Unknown interaction")."""
MISS_DROP_REASONS: tuple[str, ...] = ("queue_full", "write_failed", "closed")
OTHER = "other"

LATENCY_BUCKETS: tuple[float, ...] = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
)
"""Seconds: matching is sub-millisecond, a full interaction round trip stays under 1 s."""

CONTENT_TYPE = CONTENT_TYPE_LATEST
"""The Content-Type to serve `Metrics.render()` with."""

_KIND = re.compile(r"[^a-z0-9_]+")


def _package_version() -> str:
    try:
        return metadata.version("faqbot-12msp")
    except metadata.PackageNotFoundError:
        return "unknown"


class Metrics:
    """Every metric the bot exports, with one typed method per event."""

    def __init__(self, *, process: bool = True) -> None:
        """`process=True` adds the standard process_* and python_info metrics."""
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self._questions = Counter(
            "faqbot_questions",
            "Questions received, by outcome and by where they came from.",
            ["outcome", "source"],
            registry=r,
        )
        self._latency = Histogram(
            "faqbot_answer_latency_seconds",
            "Time from receiving a question to having the reply ready.",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self._entries = Gauge("faqbot_faq_entries", "Entries in the loaded FAQ.", registry=r)
        self._faq = Info("faqbot_faq", "Version (content hash) of the loaded FAQ.", registry=r)
        self._reloads = Counter(
            "faqbot_faq_reloads", "FAQ reloads by result.", ["result"], registry=r
        )
        self._gateway = Gauge(
            "faqbot_gateway_latency_seconds",
            "Discord gateway heartbeat latency (NaN when not connected).",
            registry=r,
        )
        self._errors = Counter("faqbot_errors", "Errors by kind.", ["kind"], registry=r)
        self._in_flight = Gauge(
            "faqbot_interactions_in_flight", "Interactions being handled right now.", registry=r
        )
        self._expired = Counter(
            "faqbot_interactions_expired",
            "Interactions too old to answer (Discord allows 3 s), by where it was noticed: "
            "arrival (dropped unanswered) or reply (Discord refused the reply).",
            ["stage"],
            registry=r,
        )
        self._misses_dropped = Counter(
            "faqbot_misses_dropped",
            "Unanswered questions not recorded in the database, by reason.",
            ["reason"],
            registry=r,
        )
        Info("faqbot_build", "The running bot's package version.", registry=r).info(
            {"version": _package_version()}
        )
        if process:
            ProcessCollector(registry=r)
            PlatformCollector(registry=r)

        # Publish every expected series at 0, so dashboards and rate() work from the start.
        for outcome in OUTCOMES:
            for source in SOURCES:
                self._questions.labels(outcome=outcome, source=source)
        for result in RELOAD_RESULTS:
            self._reloads.labels(result=result)
        for stage in EXPIRED_STAGES:
            self._expired.labels(stage=stage)
        for reason in MISS_DROP_REASONS:
            self._misses_dropped.labels(reason=reason)
        self._gateway.set(math.nan)
        self._warned: set[tuple[str, str]] = set()

    def _label(self, what: str, value: str, allowed: tuple[str, ...]) -> str:
        if value in allowed:
            return str(value)
        if (what, value) not in self._warned:
            self._warned.add((what, value))
            log.warning("metrics: unknown %s %r counted as %r", what, value, OTHER)
        return OTHER

    def observe_question(self, outcome: str, source: str, seconds: float | None = None) -> None:
        """Count one question; `seconds` (if known) goes into the latency histogram."""
        outcome = self._label("outcome", outcome, OUTCOMES)
        source = self._label("source", source, SOURCES)
        self._questions.labels(outcome=outcome, source=source).inc()
        if seconds is not None and math.isfinite(seconds) and seconds >= 0:
            self._latency.observe(seconds)

    def faq_loaded(self, version: str, entries: int) -> None:
        """A FAQ is now live (at start-up or after a reload)."""
        self._faq.info({"version": version})
        self._entries.set(entries)

    def reload(self, result: str) -> None:
        """A reload attempt finished: "ok" or "failed"."""
        self._reloads.labels(result=self._label("reload result", result, RELOAD_RESULTS)).inc()

    def error(self, kind: str) -> None:
        """Count an error; `kind` is a short fixed name like "discord_http" or "handler"."""
        label = _KIND.sub("_", kind.strip().lower()).strip("_")[:40] or OTHER
        self._errors.labels(kind=label).inc()

    def interaction_expired(self, stage: str) -> None:
        """An interaction was too old to answer: "arrival" or "reply" (see EXPIRED_STAGES)."""
        self._expired.labels(stage=self._label("expired stage", stage, EXPIRED_STAGES)).inc()

    def misses_dropped(self, reason: str, count: int = 1) -> None:
        """`count` misses were not recorded: "queue_full", "write_failed" or "closed"."""
        label = self._label("miss drop reason", reason, MISS_DROP_REASONS)
        self._misses_dropped.labels(reason=label).inc(count)

    def gateway_latency(self, seconds: float | None) -> None:
        """Heartbeat latency in seconds; None or inf (not connected yet) shows as NaN."""
        shown = (
            math.nan if seconds is None or not math.isfinite(seconds) or seconds < 0 else seconds
        )
        self._gateway.set(shown)

    @contextmanager
    def in_flight(self) -> Iterator[None]:
        """`with metrics.in_flight(): ...` around handling one interaction."""
        self._in_flight.inc()
        try:
            yield
        finally:
            self._in_flight.dec()

    def render(self) -> bytes:
        """Everything in the Prometheus text exposition format (serve as `CONTENT_TYPE`)."""
        return generate_latest(self.registry)
