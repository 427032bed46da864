"""Scenarios: a starting world written as YAML (or the same shape as a dict)."""

from __future__ import annotations

from pathlib import Path

import yaml

from . import catalog, gke
from .limits import Limits
from .quantity import QuantityError, parse_cpu, parse_memory

SCENARIO_DIR = Path(__file__).parent / "scenarios"
MAX_SCENARIO_BYTES = 64 * 1024


class ScenarioError(ValueError):
    """A scenario that cannot be built; the message names the offending field."""


def names() -> list[str]:
    """The named scenarios shipped with the engine."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def load(name: str) -> dict:
    path = SCENARIO_DIR / f"{name}.yaml"
    if not name.replace("-", "").replace("_", "").isalnum() or not path.is_file():
        raise ScenarioError(f"unknown scenario {name!r}; known: {', '.join(names())}")
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ScenarioError(f"scenario {name!r}: the top level must be a mapping")
    return data


def build(cls, scenario: str | dict, seed: int = 0, limits: Limits | None = None):
    data = load(scenario) if isinstance(scenario, str) else scenario
    if not isinstance(data, dict):
        raise ScenarioError("scenario: must be a mapping with 'clusters', 'commands' and 'advance'")
    unknown = set(data) - {"clusters", "commands", "advance", "title", "description", "seed"}
    if unknown:
        raise ScenarioError(f"scenario: unknown field(s) {', '.join(sorted(unknown))}")
    sim = cls(seed=data.get("seed", seed), limits=limits)
    clusters = data.get("clusters", [])
    if not isinstance(clusters, list):
        raise ScenarioError("clusters: must be a list")
    for i, spec in enumerate(clusters):
        _cluster(sim, spec, f"clusters[{i}]")
    commands = data.get("commands", [])
    if not isinstance(commands, list):
        raise ScenarioError("commands: must be a list of command lines")
    for i, line in enumerate(commands):
        if not isinstance(line, str):
            raise ScenarioError(f"commands[{i}]: must be a string")
        result = sim.execute(line)
        if not result.ok:
            raise ScenarioError(f"commands[{i}]: {line!r} failed: {result.text}")
    advance = data.get("advance", 0)
    if not isinstance(advance, int | float) or isinstance(advance, bool) or advance < 0:
        raise ScenarioError("advance: must be a number of seconds >= 0")
    sim.advance(advance)
    return sim


def _cluster(sim, spec, where: str) -> None:
    if not isinstance(spec, dict):
        raise ScenarioError(f"{where}: must be a mapping")
    unknown = set(spec) - {"name", "location", "mode", "node_pools", "nodes"}
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    name = spec.get("name")
    if not isinstance(name, str) or not name:
        raise ScenarioError(f"{where}.name: required")
    location = spec.get("location", "asia-northeast3-a")
    if location not in catalog.ZONES and location not in catalog.REGIONS:
        raise ScenarioError(f"{where}.location: unknown zone or region {location!r}")
    mode = spec.get("mode", "standard")
    if mode not in ("standard", "autopilot"):
        raise ScenarioError(f"{where}.mode: must be 'standard' or 'autopilot'")
    if mode == "autopilot" and (location not in catalog.REGIONS or spec.get("node_pools") or spec.get("nodes")):
        raise ScenarioError(f"{where}: an autopilot cluster needs a region and has no node_pools or nodes")
    if len(sim.clusters) >= sim.limits.max_clusters:
        raise ScenarioError(f"{where}: more clusters than the limit ({sim.limits.max_clusters})")
    cluster = gke.new_cluster(name, location, mode, sim.time, sim.rng, sim.clusters_created)
    sim.clusters_created += 1
    sim.clusters[name] = cluster
    zones = list(cluster.zones)
    if mode == "autopilot":
        pool = gke.add_pool(cluster, "default-pool", "e2-standard-2", zones, 0, sim.time, sim.rng, sim.ips)
        pool.autoscaling = {"min": 0, "max": 1000}
        for zone in zones[:2]:
            gke.add_node(cluster, pool, zone, sim.time, sim.rng, sim.ips)
        sim.contexts[sim.context_name(cluster)] = name
        sim.current_context = sim.context_name(cluster)
        return
    pools = spec.get("node_pools", [] if spec.get("nodes") else [{"name": "default-pool", "nodes": 3}])
    if not isinstance(pools, list):
        raise ScenarioError(f"{where}.node_pools: must be a list")
    for j, pool in enumerate(pools):
        at = f"{where}.node_pools[{j}]"
        if not isinstance(pool, dict):
            raise ScenarioError(f"{at}: must be a mapping")
        machine = pool.get("machine_type", catalog.DEFAULT_MACHINE_TYPE)
        if machine not in catalog.MACHINE_TYPES:
            raise ScenarioError(f"{at}.machine_type: unknown machine type {machine!r}")
        count = pool.get("nodes", 3)
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ScenarioError(f"{at}.nodes: must be a whole number >= 0")
        if count * len(zones) + len(cluster.nodes) > sim.limits.max_nodes_per_cluster:
            raise ScenarioError(f"{at}.nodes: more nodes than the limit ({sim.limits.max_nodes_per_cluster})")
        unknown = set(pool) - {"name", "machine_type", "nodes", "autoscaling"}
        if unknown:
            raise ScenarioError(f"{at}: unknown field(s) {', '.join(sorted(unknown))}")
        scaling = pool.get("autoscaling")
        if scaling is not None:
            ok = (isinstance(scaling, dict) and set(scaling) <= {"min", "max"} and isinstance(scaling.get("max"), int)
                  and isinstance(scaling.get("min", 0), int) and 0 <= scaling.get("min", 0) <= scaling["max"])
            if not ok:
                raise ScenarioError(f"{at}.autoscaling: must be {{min: N, max: M}} with 0 <= min <= max")
        created = gke.add_pool(cluster, str(pool.get("name", "default-pool")), machine, zones, count, sim.time,
                               sim.rng, sim.ips)
        if scaling is not None:
            created.autoscaling = {"min": scaling.get("min", 0), "max": scaling["max"]}
    nodes = spec.get("nodes", [])
    if not isinstance(nodes, list):
        raise ScenarioError(f"{where}.nodes: must be a list")
    if nodes:
        _explicit_nodes(sim, cluster, nodes, where)
    sim.contexts[sim.context_name(cluster)] = name
    sim.current_context = sim.context_name(cluster)


def _explicit_nodes(sim, cluster, nodes: list, where: str) -> None:
    from .model import NodePool

    pool = next((p for p in cluster.node_pools if p.name == "default-pool"), None)
    if pool is None:
        pool = NodePool(name="default-pool", machine_type=catalog.DEFAULT_MACHINE_TYPE, zones=list(cluster.zones),
                        size_per_zone=0, group_hashes={z: "0" * 8 for z in cluster.zones}, created=sim.time)
        cluster.node_pools.append(pool)
    for k, node in enumerate(nodes):
        at = f"{where}.nodes[{k}]"
        if not isinstance(node, dict):
            raise ScenarioError(f"{at}: must be a mapping")
        unknown = set(node) - {"name", "cpu", "memory", "zone", "labels"}
        if unknown:
            raise ScenarioError(f"{at}: unknown field(s) {', '.join(sorted(unknown))}")
        name = node.get("name")
        if not isinstance(name, str) or not name or name in cluster.nodes:
            raise ScenarioError(f"{at}.name: required and unique")
        try:
            cpu = parse_cpu(node.get("cpu", "2"))
            memory = parse_memory(node.get("memory", "4Gi"))
        except QuantityError as exc:
            raise ScenarioError(f"{at}.cpu/memory: {exc}") from None
        zone = node.get("zone", cluster.zones[0])
        if zone not in cluster.zones:
            raise ScenarioError(f"{at}.zone: {zone!r} is not one of the cluster's zones {cluster.zones}")
        labels = node.get("labels", {})
        if not isinstance(labels, dict):
            raise ScenarioError(f"{at}.labels: must be a mapping")
        if len(cluster.nodes) >= sim.limits.max_nodes_per_cluster:
            raise ScenarioError(f"{at}: more nodes than the limit ({sim.limits.max_nodes_per_cluster})")
        gke.add_node(cluster, pool, zone, sim.time, sim.rng, sim.ips, name=name, cpu=cpu, memory=memory,
                     labels={str(k): str(v) for k, v in labels.items()})
