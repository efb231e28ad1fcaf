"""The YAML "billion laughs" bomb the loader must refuse, shared by the tests and
`bench/faults_bench.py`."""

from __future__ import annotations

import itertools
import string


def yaml_bomb(topic: str = "venue", *, levels: int = 9, width: int = 9) -> str:
    """A FAQ topic file whose `entries` is an alias that expands to `width ** levels` values
    (9^9, 387 million, by default) from a few hundred bytes: each level is a list of
    `width` aliases of the level below."""
    names = string.ascii_lowercase[:levels]
    lines = [f"topic: {topic}", f"title: {topic.capitalize()}"]
    lines.append(f"{names[0]}: &{names[0]} [" + ",".join(['"lol"'] * width) + "]")
    for below, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{below}"] * width) + "]")
    lines.append(f"entries: *{names[-1]}")
    return "\n".join(lines) + "\n"


BOMB = yaml_bomb()
"""The bomb as the topic `venue`."""
