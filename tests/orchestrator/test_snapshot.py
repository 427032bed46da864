"""Snapshots (``to_dict``/``from_dict``) and determinism, within one process and across two."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestrator import Simulation
from orchestrator.simulation import SCHEMA_VERSION
from tests.orchestrator.conftest import ZONE, cluster, make_sim, ok

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = [
    f"gcloud container clusters create demo --num-nodes=3 --zone={ZONE}",
    "kubectl create deployment web --image=nginx:1.27 --replicas=5",
    "advance 20",
    "kubectl create deployment bad --image=nginx:9.9",
    "kubectl run solo --image=redis:7.4",
    "advance 15",
    "kubectl scale deployment web --replicas=12",
    "advance 30",
    "kubectl get pods -o wide",
    "FAIL_FIRST_NODE",
    "advance 120",
    "kubectl get nodes",
    f"gcloud container clusters resize demo --num-nodes=4 --zone={ZONE}",
    "advance 300",
    "kubectl get pods -o wide",
    "kubectl get events",
    "kubectl get all -A",
]


def _play(sim, lines):
    out = []
    for line in lines:
        if line.startswith("advance "):
            sim.advance(float(line.split()[1]))
            out.append(f"t={sim.time}")
        elif line == "FAIL_FIRST_NODE":
            out.append(sim.run(f"sim node fail {sorted(cluster(sim).nodes)[0]}"))
        else:
            out.append(sim.run(line))
    return out


def _busy_sim():
    sim = Simulation(seed=42)
    _play(sim, SCRIPT[:9])
    return sim


def test_snapshot_round_trip_is_exact():
    sim = _busy_sim()
    data = sim.to_dict()
    assert Simulation.from_dict(data).to_dict() == data


def test_snapshot_is_json_serialisable():
    data = _busy_sim().to_dict()
    assert json.loads(json.dumps(data)) == data


def test_snapshot_names_its_schema():
    assert make_sim().to_dict()["schema"] == SCHEMA_VERSION


@pytest.mark.parametrize("schema", [None, 0, SCHEMA_VERSION + 1, "1"])
def test_wrong_schema_raises_value_error(schema):
    data = make_sim().to_dict()
    if schema is None:
        del data["schema"]
    else:
        data["schema"] = schema
    with pytest.raises(ValueError):
        Simulation.from_dict(data)


def test_taking_a_snapshot_does_not_change_the_simulation():
    a, b = _busy_sim(), _busy_sim()
    a.to_dict()
    rest = SCRIPT[9:]
    assert _play(a, rest) == _play(b, rest)


def test_restored_simulation_continues_exactly_like_the_original():
    original = _busy_sim()
    restored = Simulation.from_dict(original.to_dict())
    rest = SCRIPT[9:]
    assert _play(restored, rest) == _play(original, rest)
    assert restored.to_dict() == original.to_dict()


def test_restoring_mid_rollout_and_mid_failure_continues_identically():
    for cut in range(2, len(SCRIPT)):
        original = Simulation(seed=5)
        _play(original, SCRIPT[:cut])
        restored = Simulation.from_dict(json.loads(json.dumps(original.to_dict())))
        assert _play(restored, SCRIPT[cut:]) == _play(original, SCRIPT[cut:]), f"diverged after line {cut}"


def test_json_text_is_the_same_snapshot_and_continues_identically():
    """to_json encodes the live objects without copying them: same content as to_dict, keys in the same order,
    and encoding it changes nothing."""
    for cut in (3, 9, 12):
        original = Simulation(seed=5)
        _play(original, SCRIPT[:cut])
        text = original.to_json()
        assert json.loads(text) == original.to_dict()
        assert text == json.dumps(original.to_dict(), separators=(",", ":"))
        restored = Simulation.from_json(text)
        assert _play(restored, SCRIPT[cut:]) == _play(original, SCRIPT[cut:]), f"diverged after line {cut}"
        assert restored.to_json() == original.to_json()


def test_restored_snapshot_does_not_share_state_with_its_source():
    sim = _busy_sim()
    data = sim.to_dict()
    restored = Simulation.from_dict(data)
    ok(restored, "kubectl scale deployment web --replicas=1")
    assert data["clusters"]["demo"]["deployments"]["default/web"]["replicas"] == 12
    assert cluster(sim).deployments["default/web"].replicas == 12


def test_same_seed_same_script_same_bytes():
    a, b = Simulation(seed=9), Simulation(seed=9)
    assert _play(a, SCRIPT) == _play(b, SCRIPT)
    assert json.dumps(a.to_dict(), sort_keys=True) == json.dumps(b.to_dict(), sort_keys=True)


def test_different_seeds_give_different_names():
    a, b = Simulation(seed=1), Simulation(seed=2)
    assert _play(a, SCRIPT[:3]) != _play(b, SCRIPT[:3])


_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from tests.orchestrator.test_snapshot import SCRIPT, _play
from orchestrator import Simulation
sim = Simulation(seed=123)
out = _play(sim, SCRIPT)
print(json.dumps({"out": out, "snapshot": sim.to_dict()}, sort_keys=True))
"""


def test_two_processes_with_different_hash_seeds_agree():
    """Set iteration order changes with PYTHONHASHSEED; the simulation must not depend on it."""
    results = []
    for hash_seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT)], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
        results.append(proc.stdout)
    assert results[0] == results[1]
    local = Simulation(seed=123)
    out = _play(local, SCRIPT)
    assert json.loads(results[0]) == {"out": out, "snapshot": local.to_dict()}
