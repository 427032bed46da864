"""Helpers for the engine tests. The engine is plain Python: none of these tests needs a database.

Test modules import the helpers directly (``from tests.orchestrator.conftest import make_sim``);
the autouse fixture below makes every internal error surface as a traceback.
"""

from __future__ import annotations

import re

import pytest

import orchestrator.commands
from orchestrator import Simulation
from orchestrator.model import Cluster, Pod

ZONE = "asia-northeast3-a"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(autouse=True)
def raise_internal_errors(monkeypatch):
    """A bug in a command handler shows its traceback instead of the learner-facing apology."""
    monkeypatch.setattr(orchestrator.commands, "RAISE_INTERNAL_ERRORS", True)


def make_sim(seed: int = 1, nodes: int = 3, **kw) -> Simulation:
    """A simulation with one zonal cluster ``demo`` of ``nodes`` nodes (e2-medium unless
    ``machine_type`` says otherwise). ``limits`` goes to the Simulation."""
    sim = Simulation(seed=seed, limits=kw.pop("limits", None))
    machine = kw.pop("machine_type", None)
    name = kw.pop("name", "demo")
    line = f"gcloud container clusters create {name} --num-nodes={nodes} --zone={ZONE}"
    if machine:
        line += f" --machine-type={machine}"
    assert not kw, f"unknown make_sim arguments: {sorted(kw)}"
    ok(sim, line)
    return sim


def ok(sim: Simulation, line: str) -> str:
    """Run a command that must succeed; return its output."""
    result = sim.execute(line)
    assert result.ok, f"{line!r} failed:\n{result.text}"
    return result.text


def fails(sim: Simulation, line: str) -> str:
    """Run a command that must fail; return its message."""
    result = sim.execute(line)
    assert not result.ok, f"{line!r} unexpectedly succeeded:\n{result.text}"
    return result.text


def cluster(sim: Simulation) -> Cluster:
    current = sim.current_cluster()
    assert current is not None
    return current


def pods_of(sim: Simulation, prefix: str, namespace: str = "default") -> list[Pod]:
    """The pods whose names start with ``prefix-`` (a deployment's pods), sorted by name."""
    return sorted((p for p in cluster(sim).pods.values()
                   if p.namespace == namespace and p.name.startswith(prefix + "-")), key=lambda p: p.name)


def live_pods(sim: Simulation, prefix: str) -> list[Pod]:
    return [p for p in pods_of(sim, prefix) if not p.terminating]


def running(sim: Simulation, prefix: str) -> list[Pod]:
    return [p for p in live_pods(sim, prefix) if p.phase == "Running" and p.ready]


def node_names(sim: Simulation) -> list[str]:
    return sorted(cluster(sim).nodes)


def deploy(sim: Simulation, name: str = "web", replicas: int = 3, image: str = "nginx:1.27",
           settle: float = 30) -> list[Pod]:
    """Create a deployment, let it come up, and return its pods."""
    ok(sim, f"kubectl create deployment {name} --image={image} --replicas={replicas}")
    if settle:
        sim.advance(settle)
    return live_pods(sim, name)


def table_rows(text: str) -> list[dict[str, str]]:
    """Parse a kubectl table by the header's column start offsets, as a reader's eye does."""
    lines = text.split("\n")
    header = lines[0]
    starts = [m.start() for m in re.finditer(r"(?<!\S)\S+(?: \S+)*", header)]
    # Multi-word headers (LAST SEEN, NOMINATED NODE) are single columns separated by one space.
    names = [header[s:e].strip() for s, e in zip(starts, [*starts[1:], None], strict=True)]
    rows = []
    for line in lines[1:]:
        if not line:
            break
        cells = [line[s:e].strip() for s, e in zip(starts, [*starts[1:], None], strict=True)]
        rows.append(dict(zip(names, cells, strict=True)))
    return rows


def assert_aligned(text: str) -> None:
    """Every row's cells start exactly where the header's columns start, and nothing is cut short."""
    for block in text.split("\n\n"):
        lines = block.split("\n")
        header = lines[0]
        starts = [m.start() for m in re.finditer(r"(?<!\S)\S+(?: \S+)*", header)]
        ends = [*starts[1:], None]
        for line in lines[1:]:
            for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
                cell = line[start:end]
                assert i == 0 or line[start - 1] == " ", f"column {i} runs into column {i - 1}:\n{header}\n{line}"
                assert not cell.strip() or not cell.startswith(" "), (
                    f"column {i} does not start at offset {start}:\n{header}\n{line}")


def column(text: str, name: str) -> list[str]:
    return [row[name] for row in table_rows(text)]


def has_hangul(text: str) -> bool:
    return bool(HANGUL.search(text))
