"""The Dockerfile, .dockerignore and compose.yaml keep their promises.

No image registry is reachable here, so the image is never built in CI: these tests read
the files, and run the HEALTHCHECK command itself against a real HealthServer.
"""

from __future__ import annotations

import asyncio
import fnmatch
import importlib
import json
import re
import shlex
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.ops.health import HealthServer, HealthStatus

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
STANDARD = {
    "FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
    "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
}  # fmt: skip


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str
    line: int

    def exec_form(self) -> list[str]:
        value = json.loads(self.args)
        assert isinstance(value, list), f"Dockerfile:{self.line}: expected exec form [..]"
        return value


def parse_dockerfile(text: str) -> list[Instruction]:
    """Instructions with continuation lines joined and comments dropped."""
    found: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending.append(stripped[:-1].strip())
            continue
        pending.append(stripped)
        keyword, _, args = " ".join(pending).partition(" ")
        found.append(Instruction(keyword.upper(), args.strip(), start))
        pending = []
    assert not pending, "Dockerfile ends inside a continuation line"
    return found


INSTRUCTIONS = parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))


def stages() -> list[list[Instruction]]:
    result: list[list[Instruction]] = []
    for instruction in INSTRUCTIONS:
        if instruction.keyword == "FROM":
            result.append([])
        result[-1].append(instruction)
    return result


FINAL = stages()[-1]


def env_of(stage: list[Instruction]) -> dict[str, str]:
    values: dict[str, str] = {}
    for instruction in stage:
        if instruction.keyword != "ENV":
            continue
        tokens = shlex.split(instruction.args)
        if "=" not in tokens[0]:  # legacy `ENV KEY value`
            values[tokens[0]] = " ".join(tokens[1:])
            continue
        for token in tokens:
            key, _, value = token.partition("=")
            values[key] = value
    return values


FINAL_ENV = env_of(FINAL)


def only(stage: list[Instruction], keyword: str) -> Instruction:
    found = [i for i in stage if i.keyword == keyword]
    assert len(found) == 1, f"expected one {keyword} in the final stage, found {len(found)}"
    return found[0]


def copies(stage: list[Instruction]) -> list[tuple[list[str], str, Instruction]]:
    """(sources, destination) of every COPY from the build context (not --from)."""
    result = []
    for instruction in stage:
        if instruction.keyword not in {"COPY", "ADD"}:
            continue
        parts = shlex.split(instruction.args)
        flags = [p for p in parts if p.startswith("--")]
        paths = [p for p in parts if not p.startswith("--")]
        if any(flag.startswith("--from") for flag in flags):
            continue
        result.append((paths[:-1], paths[-1], instruction))
    return result


def dockerignore_patterns() -> list[str]:
    text = (ROOT / ".dockerignore").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def ignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` (or a parent of it) out of the build context."""
    parts = Path(path).parts
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in dockerignore_patterns():
        pattern = pattern.lstrip("/").removeprefix("**/")
        for candidate in candidates:
            if fnmatch.fnmatch(candidate, pattern) or fnmatch.fnmatch(
                Path(candidate).name, pattern
            ):
                return True
    return False


# --- Dockerfile ---


def test_only_plain_standard_instructions():
    for instruction in INSTRUCTIONS:
        assert instruction.keyword in STANDARD, f"Dockerfile:{instruction.line}"
        assert "--mount" not in instruction.args, f"Dockerfile:{instruction.line}: BuildKit only"


def test_base_images_are_python_311_slim():
    images = [i.args.split()[0] for i in INSTRUCTIONS if i.keyword == "FROM"]
    assert len(images) >= 2, "expected a multi-stage build"
    for image in images:
        assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-[a-z]+)?(@sha256:[0-9a-f]{64})?", image), (
            image
        )


def test_build_stage_builds_wheels_and_final_stage_installs_them_in_a_venv():
    build_runs = " ".join(i.args for i in stages()[0] if i.keyword == "RUN")
    assert "pip wheel" in build_runs
    final_runs = " ".join(i.args for i in FINAL if i.keyword == "RUN")
    assert "-m venv" in final_runs
    assert "--no-index" in final_runs, "the final stage must install from the built wheels only"
    assert PYPROJECT["project"]["name"] in final_runs
    assert any("--from" in i.args for i in FINAL if i.keyword == "COPY")


def test_final_stage_runs_as_a_non_root_user_created_there():
    users = [i for i in FINAL if i.keyword == "USER"]
    assert users, "the final stage must set USER"
    user = users[-1].args.split(":")[0]
    assert user not in {"root", "0"}
    runs = " ".join(i.args for i in FINAL if i.keyword == "RUN")
    assert user.isdigit() or re.search(rf"useradd\b.*\b{re.escape(user)}\b", runs)
    last_run = max((i.line for i in FINAL if i.keyword == "RUN"), default=0)
    assert users[-1].line > last_run, "nothing should run as root after USER"


def test_environment_defaults():
    assert FINAL_ENV["FAQ_DIR"] == "/app/faq"
    assert FINAL_ENV["DATA_DIR"] == "/data"
    assert FINAL_ENV["HEALTH_PORT"] == "8080"
    assert FINAL_ENV["HEALTH_HOST"] == "0.0.0.0"


def test_data_dir_is_a_volume_and_owned_by_the_user():
    volume = only(FINAL, "VOLUME").args
    volumes = json.loads(volume) if volume.startswith("[") else volume.split()
    assert FINAL_ENV["DATA_DIR"] in volumes
    runs = " ".join(i.args for i in FINAL if i.keyword == "RUN")
    assert re.search(rf"chown \S+ {re.escape(FINAL_ENV['DATA_DIR'])}\b", runs)


def test_faq_is_baked_in_at_faq_dir():
    assert any(
        sources == ["faq"] and dest.rstrip("/") == FINAL_ENV["FAQ_DIR"]
        for sources, dest, _ in copies(FINAL)
    )


def test_health_port_is_exposed():
    assert FINAL_ENV["HEALTH_PORT"] in only(FINAL, "EXPOSE").args.split()


def test_every_copy_source_exists_and_is_in_the_build_context():
    for stage in stages():
        for sources, _, instruction in copies(stage):
            for source in sources:
                assert (ROOT / source).exists(), f"Dockerfile:{instruction.line}: {source} missing"
                assert not ignored(source), f"Dockerfile:{instruction.line}: {source} ignored"


def test_build_stage_copies_every_package_pyproject_installs():
    copied = {source for sources, _, _ in copies(stages()[0]) for source in sources}
    assert "pyproject.toml" in copied
    patterns = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    for directory in sorted(p.name for p in ROOT.iterdir() if p.is_dir()):
        if (ROOT / directory / "__init__.py").exists() or directory == "faq":
            wanted = any(fnmatch.fnmatch(directory, pattern) for pattern in patterns)
            if wanted:
                assert directory in copied, f"pyproject installs {directory}/ but it is not copied"


def test_entrypoint_is_the_console_script_and_cmd_is_run():
    entrypoint = only(FINAL, "ENTRYPOINT").exec_form()
    assert entrypoint == ["faqbot"]
    target = PYPROJECT["project"]["scripts"]["faqbot"]
    module, _, function = target.partition(":")
    assert callable(getattr(importlib.import_module(module), function))
    assert only(FINAL, "CMD").exec_form() == ["run"]
    cli = importlib.import_module("bot.cli")
    assert cli.build_parser().parse_args(["run"]).command == "run"


def healthcheck_command() -> list[str]:
    args = only(FINAL, "HEALTHCHECK").args
    options, _, command = args.partition("CMD ")
    assert command, "HEALTHCHECK must use CMD"
    assert "--timeout" in options
    return json.loads(command)


def test_healthcheck_hits_healthz_on_health_port_with_python_only():
    command = healthcheck_command()
    assert command[0] == "python", "slim images have no curl: use python's urllib"
    code = command[-1]
    assert "urllib.request" in code and "/healthz" in code
    assert "127.0.0.1" in code
    assert f"os.environ.get('HEALTH_PORT', '{FINAL_ENV['HEALTH_PORT']}')" in code


class Status:
    def __init__(self, healthy: bool) -> None:
        self.healthy = healthy

    def __call__(self) -> HealthStatus:
        return HealthStatus(self.healthy, "v1" if self.healthy else None, 3, 1.0, 0.05)


async def run_healthcheck(port: int | None) -> int:
    command = healthcheck_command()
    env = {"HEALTH_PORT": str(port)} if port is not None else {}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *command[1:],
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    return await process.wait()


@pytest.mark.parametrize(("healthy", "passes"), [(True, True), (False, False)])
async def test_healthcheck_command_passes_only_when_healthy(healthy, passes):
    async with HealthServer("127.0.0.1", 0, Status(healthy)) as server:
        code = await run_healthcheck(server.port)
    assert (code == 0) is passes


async def test_healthcheck_fails_when_nothing_listens():
    async with HealthServer("127.0.0.1", 0, Status(True)) as server:
        port = server.port
    assert await run_healthcheck(port) != 0


# --- .dockerignore ---


@pytest.mark.parametrize(
    "path", [".venv", ".git", ".env", "prod.env", "tests", "bench", "data", "bot/__pycache__"]
)
def test_dockerignore_keeps_out(path):
    assert ignored(path), f".dockerignore should exclude {path}"


@pytest.mark.parametrize("path", ["pyproject.toml", "bot", "cogs", "faq", "faq/venue.yaml"])
def test_dockerignore_keeps_in(path):
    assert not ignored(path)


# --- compose.yaml ---

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
[SERVICE] = COMPOSE["services"].values()


def test_compose_mounts_the_faq_read_only_at_faq_dir():
    assert f"./faq:{FINAL_ENV['FAQ_DIR']}:ro" in SERVICE["volumes"]


def test_compose_keeps_data_in_a_named_volume():
    named = [
        v.split(":")[0]
        for v in SERVICE["volumes"]
        if v.split(":")[1] == FINAL_ENV["DATA_DIR"] and not v.startswith((".", "/"))
    ]
    assert named and named[0] in COMPOSE["volumes"]


def test_compose_publishes_the_health_port_on_localhost_only():
    ports = [str(p) for p in SERVICE["ports"]]
    assert ports
    for port in ports:
        host_ip, _host_port, container_port = port.split(":")
        assert host_ip == "127.0.0.1", port
        assert container_port == FINAL_ENV["HEALTH_PORT"]


def test_compose_takes_the_token_from_an_env_file_not_inline():
    assert SERVICE.get("env_file")
    environment = SERVICE.get("environment") or {}
    names = environment if isinstance(environment, dict) else [e.split("=")[0] for e in environment]
    assert "DISCORD_TOKEN" not in names
