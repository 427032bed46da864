"""The live region's "common moves": buttons that each run one command.

The command strings are built here exactly as a learner would type them, so that pressing a button
teaches the syntax; the template shows each command next to its label.
"""

from __future__ import annotations

from orchestrator import catalog
from orchestrator.model import Cluster


def move(command: str, label: str, id_: str, kind: str = "normal") -> dict:
    """One "common move" button: the command it runs is shown with it."""
    return {"command": command, "label": label, "id": id_, "kind": kind, "words": command.split(" ")}


def slug(text: str) -> str:
    """A string safe inside an HTML id (stable across polls, so htmx keeps focus on it after a swap)."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


def create_cluster() -> dict:
    """The one button of a project without clusters."""
    return move("gcloud container clusters create demo --num-nodes=3 --zone=asia-northeast3-a",
                "클러스터 만들기", "mv-create-cluster")


def node_power(name: str, down: bool) -> dict:
    """Stop a node's VM, or start it again."""
    action = "recover" if down else "fail"
    return move(f"sim node {action} {name}", "VM 다시 켜기" if down else "VM 멈추기", f"mv-node-{name}",
                "danger" if not down else "normal")


def explain_pod(name: str) -> dict:
    return move(f"sim explain pod {name}", "이유 자세히 보기", f"mv-explain-{name}")


def deployment_moves(cluster: Cluster, d, crashing: bool) -> list[dict]:
    """Scale by one, roll out the next image, roll back, and break or heal the app."""
    container = d.template["containers"][0]
    ns_flag = "" if d.namespace == "default" else f" -n {d.namespace}"
    key = slug(d.key)
    out = []
    if d.replicas > 0:
        out.append(move(f"kubectl scale deployment {d.name} --replicas={d.replicas - 1}{ns_flag}",
                        "레플리카 −1", f"mv-scale-down-{key}"))
    out.append(move(f"kubectl scale deployment {d.name} --replicas={d.replicas + 1}{ns_flag}",
                    "레플리카 +1", f"mv-scale-up-{key}"))
    new_image = next_image(container["image"])
    if new_image:
        out.append(move(f"kubectl set image deployment/{d.name} {container['name']}={new_image}{ns_flag}",
                        "새 버전으로 롤아웃", f"mv-rollout-{key}"))
    if len(cluster.replicasets_of(d)) > 1:
        out.append(move(f"kubectl rollout undo deployment/{d.name}{ns_flag}", "롤백", f"mv-undo-{key}"))
    if d.namespace == "default":  # sim app only knows the default namespace
        # One id for both, so keyboard focus stays on the button when it flips.
        out.append(move(f"sim app heal {d.name}", "앱 고치기", f"mv-app-{key}") if crashing else
                   move(f"sim app crash {d.name}", "앱 고장 내기", f"mv-app-{key}", "danger"))
    return out


def next_image(ref: str) -> str | None:
    """The image a "new version" button rolls out: the next tag of the same repository in the catalog
    (``nginx:1.26`` -> ``nginx:1.27``), keeping the reference's spelling. ``latest`` is never offered;
    a tag the registry lacks (an ImagePullBackOff) gets the newest real tag, which fixes it."""
    repository, tag = catalog.normalize_image(ref)
    image = catalog.IMAGES.get(repository)
    if image is None or "@" in ref:
        return None
    tags = [t for t in image.tags if t != "latest"]
    if not tags:
        return None
    if tag in tags:
        i = tags.index(tag)
        if i + 1 >= len(tags):
            return None
        new_tag = tags[i + 1]
    elif tag == "latest":
        return None
    else:
        new_tag = tags[-1]
    last = ref.rsplit("/", 1)[-1]
    base = ref.rsplit(":", 1)[0] if ":" in last else ref
    return f"{base}:{new_tag}"


def traffic_presets(service: str, key: str) -> list[dict]:
    """Stop, normal and heavy traffic for a service in the default namespace."""
    return [move(f"sim traffic {service} {rps}", label, f"mv-traffic-{rps}-{key}")
            for rps, label in ((0, "멈추기"), (100, "보통"), (1000, "많이"))]


def pool_moves(sim, cluster: Cluster) -> list[dict]:
    """Add or remove a node per zone with ``gcloud container clusters resize`` (not on Autopilot, where
    GKE manages the nodes)."""
    if cluster.mode == "autopilot":
        return []
    flag = "--region" if cluster.location in catalog.REGIONS else "--zone"
    counts: dict[str, int] = {}
    for node in cluster.nodes.values():
        counts[node.pool] = counts.get(node.pool, 0) + 1
    total = len(cluster.nodes)
    out = []
    for pool in cluster.node_pools:
        size = pool.size_per_zone
        zones = len(pool.zones)

        def resize(n: int, pool=pool) -> str:
            return (f"gcloud container clusters resize {cluster.name} --num-nodes={n} --node-pool={pool.name} "
                    f"{flag}={cluster.location}")

        moves = []
        if size > 0:
            moves.append(move(resize(size - 1), "노드 −1" if zones == 1 else "영역마다 노드 −1",
                              f"mv-pool-down-{slug(pool.name)}"))
        if total + zones <= sim.limits.max_nodes_per_cluster:
            moves.append(move(resize(size + 1), "노드 +1" if zones == 1 else "영역마다 노드 +1",
                              f"mv-pool-up-{slug(pool.name)}"))
        autoscaling = pool.autoscaling
        out.append({"name": pool.name, "machine_type": pool.machine_type, "size_per_zone": size, "zones": zones,
                    "nodes": counts.get(pool.name, 0), "moves": moves,
                    "autoscaling": f"{autoscaling['min']}–{autoscaling['max']}" if autoscaling else ""})
    return out
