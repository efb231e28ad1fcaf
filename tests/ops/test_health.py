"""Health server and metrics, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import math
import socket
from dataclasses import replace

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.engine.models import Outcome
from bot.ops.health import HealthServer, HealthServerError, HealthStatus
from bot.ops.metrics import CONTENT_TYPE, LATENCY_BUCKETS, Metrics

HEALTHY = HealthStatus(
    gateway_connected=True,
    faq_version="a1b2c3d4",
    entries=42,
    uptime_seconds=12.5,
    latency_seconds=0.081,
)


class Provider:
    """A status the test can change between requests."""

    def __init__(self, status: HealthStatus = HEALTHY) -> None:
        self.status = status
        self.fail = False

    def __call__(self) -> HealthStatus:
        if self.fail:
            raise RuntimeError("bot state unavailable")
        return self.status


@pytest.fixture
def provider() -> Provider:
    return Provider()


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
async def server(provider, metrics):
    health = HealthServer("127.0.0.1", 0, provider, metrics)
    await health.start()
    yield health
    await health.stop()


async def get(server: HealthServer, path: str) -> tuple[int, str, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(server.url + path) as response,
    ):
        return response.status, response.headers["Content-Type"], await response.text()


async def get_json(server: HealthServer, path: str = "/healthz") -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(server.url + path) as response,
    ):
        return response.status, await response.json()


def samples(text: str | bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition text, keyed by (name, sorted labels)."""
    if isinstance(text, bytes):
        text = text.decode()
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


# --- /healthz ---


async def test_healthy_bot_is_200_with_status_ok(server):
    status, body = await get_json(server)
    assert status == 200
    assert body == {
        "status": "ok",
        "gateway": True,
        "faq_version": "a1b2c3d4",
        "entries": 42,
        "uptime_seconds": 12.5,
        "latency_seconds": 0.081,
    }


@pytest.mark.parametrize(
    "change",
    [
        {"gateway_connected": False},
        {"faq_version": None, "entries": 0},
    ],
    ids=["gateway-down", "no-faq-loaded"],
)
async def test_unhealthy_bot_is_503_with_the_same_shape(server, provider, change):
    provider.status = replace(HEALTHY, **change)
    status, body = await get_json(server)
    assert status == 503
    assert body["status"] == "unavailable"
    assert set(body) == {
        "status",
        "gateway",
        "faq_version",
        "entries",
        "uptime_seconds",
        "latency_seconds",
    }
    assert body["gateway"] is provider.status.gateway_connected


async def test_health_follows_the_bot_between_requests(server, provider):
    assert (await get_json(server))[0] == 200
    provider.status = replace(HEALTHY, gateway_connected=False)
    assert (await get_json(server))[0] == 503
    provider.status = HEALTHY
    assert (await get_json(server))[0] == 200


async def test_unknown_latency_is_null_not_infinity(server, provider):
    provider.status = replace(HEALTHY, latency_seconds=math.inf)
    status, body = await get_json(server)
    assert status == 200
    assert body["latency_seconds"] is None


async def test_failing_status_provider_is_503_not_a_crash(server, provider, metrics):
    provider.fail = True
    status, body = await get_json(server)
    assert status == 503
    assert body["status"] == "unavailable"
    assert samples(metrics.render())[("faqbot_errors_total", (("kind", "health_status"),))] == 1


async def test_unknown_path_is_404(server):
    status, _, _ = await get(server, "/")
    assert status == 404


# --- /metrics over HTTP ---


async def test_metrics_endpoint_serves_prometheus_text(server, metrics):
    metrics.observe_question("answered", "slash", 0.002)
    status, content_type, text = await get(server, "/metrics")
    assert status == 200
    assert content_type.split(";")[0] == CONTENT_TYPE.split(";")[0]
    key = ("faqbot_questions_total", (("outcome", "answered"), ("source", "slash")))
    assert samples(text)[key] == 1


async def test_metrics_scrape_reads_gateway_latency_from_the_bot(server, provider):
    provider.status = replace(HEALTHY, latency_seconds=0.25)
    _, _, text = await get(server, "/metrics")
    assert samples(text)[("faqbot_gateway_latency_seconds", ())] == 0.25
    provider.status = replace(HEALTHY, gateway_connected=False)
    _, _, text = await get(server, "/metrics")
    assert math.isnan(samples(text)[("faqbot_gateway_latency_seconds", ())])


async def test_without_metrics_the_endpoint_is_404(provider):
    async with HealthServer("127.0.0.1", 0, provider) as health:
        status, _, _ = await get(health, "/metrics")
        assert status == 404
        assert (await get_json(health))[0] == 200


# --- binding ---


async def test_port_zero_exposes_the_bound_port(server):
    assert server.port > 0
    assert server.url == f"http://127.0.0.1:{server.port}"


async def test_port_in_use_is_a_clear_error(provider):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        health = HealthServer("127.0.0.1", port, provider)
        with pytest.raises(
            HealthServerError, match=r"127\.0\.0\.1:\d+: the port is already in use"
        ):
            await health.start()
        await health.stop()  # harmless after a failed start


async def test_address_not_on_this_machine_is_a_clear_error(provider):
    health = HealthServer("192.0.2.1", 0, provider)  # TEST-NET-1, never local
    with pytest.raises(HealthServerError, match=r"192\.0\.2\.1 is not an address of this machine"):
        await health.start()


async def test_stop_releases_the_port(provider):
    health = HealthServer("127.0.0.1", 0, provider)
    await health.start()
    port = health.port
    await health.stop()
    again = HealthServer("127.0.0.1", port, provider)
    await again.start()
    assert again.port == port
    await again.stop()


def test_port_is_unknown_before_start(provider):
    with pytest.raises(RuntimeError, match="after start"):
        _ = HealthServer("127.0.0.1", 0, provider).port


# --- Metrics class ---


def test_registries_are_independent():
    first, second = Metrics(process=False), Metrics(process=False)
    first.error("discord_http")
    assert ("faqbot_errors_total", (("kind", "discord_http"),)) in samples(first.render())
    assert ("faqbot_errors_total", (("kind", "discord_http"),)) not in samples(second.render())


def test_every_outcome_and_source_starts_at_zero():
    found = samples(Metrics(process=False).render())
    for outcome in ("answered", "suggested", "declined", "refused"):
        for source in ("slash", "mention", "dm", "button", "context_menu", "cli"):
            labels = (("outcome", outcome), ("source", source))
            assert found[("faqbot_questions_total", labels)] == 0
    assert found[("faqbot_faq_reloads_total", (("result", "ok"),))] == 0
    assert found[("faqbot_faq_reloads_total", (("result", "failed"),))] == 0


def test_questions_and_latency():
    metrics = Metrics(process=False)
    metrics.observe_question(Outcome.ANSWERED, "mention", 0.0003)
    metrics.observe_question("declined", "dm", 0.7)
    metrics.observe_question("suggested", "button")  # latency unknown: counted, not timed
    found = samples(metrics.render())
    assert found[("faqbot_questions_total", (("outcome", "answered"), ("source", "mention")))] == 1
    assert found[("faqbot_questions_total", (("outcome", "declined"), ("source", "dm")))] == 1
    assert found[("faqbot_questions_total", (("outcome", "suggested"), ("source", "button")))] == 1
    assert found[("faqbot_answer_latency_seconds_count", ())] == 2
    assert found[("faqbot_answer_latency_seconds_bucket", (("le", "0.0005"),))] == 1
    assert found[("faqbot_answer_latency_seconds_bucket", (("le", "1.0"),))] == 2


def test_latency_buckets_cover_sub_millisecond_to_one_second():
    assert min(LATENCY_BUCKETS) < 0.001
    assert max(LATENCY_BUCKETS) == 1.0
    assert list(LATENCY_BUCKETS) == sorted(LATENCY_BUCKETS)


def test_unknown_label_is_counted_as_other_not_raised():
    metrics = Metrics(process=False)
    metrics.observe_question("answerd", "carrier-pigeon", 0.01)
    metrics.reload("maybe")
    found = samples(metrics.render())
    assert found[("faqbot_questions_total", (("outcome", "other"), ("source", "other")))] == 1
    assert found[("faqbot_faq_reloads_total", (("result", "other"),))] == 1


def test_faq_version_entries_and_reloads():
    metrics = Metrics(process=False)
    metrics.faq_loaded("v1", 40)
    metrics.reload("ok")
    metrics.faq_loaded("v2", 41)
    metrics.reload("failed")
    found = samples(metrics.render())
    assert found[("faqbot_faq_entries", ())] == 41
    assert found[("faqbot_faq_info", (("version", "v2"),))] == 1
    assert ("faqbot_faq_info", (("version", "v1"),)) not in found
    assert found[("faqbot_faq_reloads_total", (("result", "ok"),))] == 1
    assert found[("faqbot_faq_reloads_total", (("result", "failed"),))] == 1


def test_gateway_latency_and_in_flight():
    metrics = Metrics(process=False)
    assert math.isnan(samples(metrics.render())[("faqbot_gateway_latency_seconds", ())])
    metrics.gateway_latency(0.12)
    with metrics.in_flight(), metrics.in_flight():
        assert samples(metrics.render())[("faqbot_interactions_in_flight", ())] == 2
    found = samples(metrics.render())
    assert found[("faqbot_interactions_in_flight", ())] == 0
    assert found[("faqbot_gateway_latency_seconds", ())] == 0.12
    metrics.gateway_latency(math.inf)  # discord.py before the first heartbeat
    assert math.isnan(samples(metrics.render())[("faqbot_gateway_latency_seconds", ())])


def test_in_flight_is_released_when_the_handler_fails():
    metrics = Metrics(process=False)
    with pytest.raises(ValueError), metrics.in_flight():
        raise ValueError("handler failed")
    assert samples(metrics.render())[("faqbot_interactions_in_flight", ())] == 0


def test_error_kinds_are_normalised():
    metrics = Metrics(process=False)
    metrics.error("Discord HTTP")
    assert samples(metrics.render())[("faqbot_errors_total", (("kind", "discord_http"),))] == 1


def test_process_metrics_are_included_by_default():
    names = {name for name, _ in samples(Metrics().render())}
    assert "process_resident_memory_bytes" in names
    assert "faqbot_build_info" in names


def test_expired_interactions_and_dropped_misses_are_counted():
    metrics = Metrics(process=False)
    found = samples(metrics.render())
    assert found[("faqbot_interactions_expired_total", (("stage", "arrival"),))] == 0
    assert found[("faqbot_misses_dropped_total", (("reason", "queue_full"),))] == 0
    metrics.interaction_expired("arrival")
    metrics.interaction_expired("arrival")
    metrics.interaction_expired("reply")
    metrics.misses_dropped("queue_full", 40)
    metrics.misses_dropped("write_failed")
    found = samples(metrics.render())
    assert found[("faqbot_interactions_expired_total", (("stage", "arrival"),))] == 2
    assert found[("faqbot_interactions_expired_total", (("stage", "reply"),))] == 1
    assert found[("faqbot_misses_dropped_total", (("reason", "queue_full"),))] == 40
    assert found[("faqbot_misses_dropped_total", (("reason", "write_failed"),))] == 1
