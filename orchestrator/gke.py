"""GKE's side of the world: clusters, node pools and the VMs that become nodes.

Creating a cluster here is instant: gcloud would block for minutes, and the point of the sandbox is that
nobody waits. Everything else (names, sizes, labels, addresses, system pods) is shaped like GKE's.
"""

from __future__ import annotations

from . import catalog, events
from .catalog import MACHINE_TYPES, MAX_PODS_PER_NODE
from .model import SYSTEM_NAMESPACES, Cluster, Node, NodePool, Pod, Service
from .naming import HEX, node_name, uid
from .rng import Rng
from .versions import GKE_VERSION

# Per-node system pods on a GKE Standard node, with requests as a real e2-medium node shows them:
# this is why a fresh 0.94-core node has only about 0.7 cores left for your pods.
SYSTEM_DAEMONS = (
    ("fluentbit-gke", 100, 200 * 2**20),
    ("gke-metrics-agent", 8, 100 * 2**20),
    ("pdcsi-node", 10, 20 * 2**20),
)
KUBE_PROXY_CPU = 100
TOLERATE_EVERYTHING = [{"operator": "Exists"}]


def kernel_capacity(nominal_bytes: int) -> int:
    """The memory the kernel reports is about 4% under the VM's nominal size (an e2-medium's 4 GiB shows
    as 4025932Ki)."""
    return int(nominal_bytes * 0.95986) // 1024 * 1024


def new_cluster(name: str, location: str, mode: str, now: float, rng: Rng, index: int) -> Cluster:
    zones = list(catalog.REGIONS[location]) if location in catalog.REGIONS else [location]
    cluster = Cluster(
        name=name, location=location, zones=zones, mode=mode, created=now, master_version=GKE_VERSION,
        endpoint=_public_ip(rng), pod_cidr_base=(index * 4) % 64 + 64, service_cidr_base=224,
    )
    cluster.namespaces = dict.fromkeys(SYSTEM_NAMESPACES, now)
    kubernetes = Service(name="kubernetes", namespace="default", type="ClusterIP", cluster_ip="34.118.224.1",
                         ports=[{"name": "https", "port": 443, "target_port": 443, "protocol": "TCP"}],
                         selector={}, created=now,
                         labels={"component": "apiserver", "provider": "kubernetes"})
    cluster.services[kubernetes.key] = kubernetes
    return cluster


def add_pool(cluster: Cluster, name: str, machine_type: str, zones: list[str], per_zone: int, now: float,
             rng: Rng, ips: dict[str, int]) -> NodePool:
    pool = NodePool(name=name, machine_type=machine_type, zones=zones, size_per_zone=per_zone,
                    group_hashes={z: rng.token(HEX, 8) for z in zones}, created=now)
    cluster.node_pools.append(pool)
    for zone in zones:
        for _ in range(per_zone):
            add_node(cluster, pool, zone, now, rng, ips)
    return pool


def add_node(cluster: Cluster, pool: NodePool, zone: str, now: float, rng: Rng, ips: dict[str, int],
             name: str | None = None, cpu: int | None = None, memory: int | None = None,
             labels: dict | None = None) -> Node:
    machine = MACHINE_TYPES[pool.machine_type]
    while name is None or name in cluster.nodes:
        prefix = "gk3" if cluster.mode == "autopilot" else "gke"
        name = node_name(cluster.name, pool.name, pool.group_hashes.get(zone, "0" * 8), rng, prefix)
    region = catalog.ZONES.get(zone, zone.rsplit("-", 1)[0])
    index = cluster.next_node_index
    cluster.next_node_index += 1
    node = Node(
        name=name, pool=pool.name, zone=zone, machine_type=pool.machine_type,
        cpu=cpu if cpu is not None else machine.allocatable_cpu_milli,
        memory=memory if memory is not None else _allocatable_memory(machine),
        capacity_cpu=cpu if cpu is not None else machine.vcpus * 1000,
        capacity_memory=memory if memory is not None else kernel_capacity(machine.memory_bytes),
        max_pods=MAX_PODS_PER_NODE, created=now, ready_changed=now,
        internal_ip=_internal_ip(region, ips), external_ip=_public_ip(rng), pod_cidr_index=index,
        labels={
            "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/instance-type": pool.machine_type,
            "beta.kubernetes.io/os": "linux",
            "cloud.google.com/gke-nodepool": pool.name,
            "cloud.google.com/machine-family": pool.machine_type.split("-")[0],
            "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
            "node.kubernetes.io/instance-type": pool.machine_type,
            "topology.kubernetes.io/region": region, "topology.kubernetes.io/zone": zone,
            **(labels or {}),
        },
    )
    cluster.nodes[name] = node
    _add_system_pods(cluster, node, now, rng)
    cluster.sched_retry = True
    events.record(cluster, now, "Normal", "RegisteredNode", "Node", name,
                  f"Node {name} event: Registered Node {name} in Controller", "node-controller", "")
    return node


def template_capacity(machine_type: str) -> tuple[int, int]:
    """What a new node of this machine type would have left for workload pods after GKE's system pods:
    the cluster autoscaler plans with this."""
    machine = MACHINE_TYPES[machine_type]
    cpu = machine.allocatable_cpu_milli - KUBE_PROXY_CPU - sum(c for _, c, _ in SYSTEM_DAEMONS)
    memory = _allocatable_memory(machine) - sum(m for _, _, m in SYSTEM_DAEMONS)
    return cpu, memory


def _allocatable_memory(machine: catalog.MachineType) -> int:
    reserved = machine.memory_bytes - machine.allocatable_memory_bytes
    return kernel_capacity(machine.memory_bytes) - reserved


def _add_system_pods(cluster: Cluster, node: Node, now: float, rng: Rng) -> None:
    specs = [(f"kube-proxy-{node.name}", "kube-proxy", "Node", node.name, KUBE_PROXY_CPU, 0)]
    for daemon, cpu, memory in SYSTEM_DAEMONS:
        specs.append((f"{daemon}-{rng.token('bcdfghjklmnpqrstvwxz2456789', 5)}", daemon, "DaemonSet", daemon,
                      cpu, memory))
    for pod_name, container, owner_kind, owner, cpu, memory in specs:
        pod = Pod(name=pod_name, namespace="kube-system", uid=uid(rng), labels={"k8s-app": container},
                  containers=[{"name": container, "image": f"gke.gcr.io/{container}:gke", "cpu": cpu,
                               "memory": memory or None, "port": None}],
                  created=now, owner_kind=owner_kind, owner=owner, cpu=cpu, memory=memory, phase="Running",
                  ready=True, ip=node.internal_ip, scheduled_at=now, started_at=now, ready_since=now,
                  stage="running", tolerations=[dict(t) for t in TOLERATE_EVERYTHING])
        pod.node = node.name
        cluster.add_pod(pod)


def remove_node(cluster: Cluster, node: Node, now: float) -> None:
    """The VM is gone: its pods go with it at once, and their owners replace them elsewhere."""
    for pod in cluster.pods_on(node):
        cluster.remove_pod(pod)
    del cluster.nodes[node.name]
    cluster.sched_retry = True
    events.record(cluster, now, "Normal", "RemovingNode", "Node", node.name,
                  f"Node {node.name} event: Removing Node {node.name} from Controller", "node-controller", "")


def resize_pool(cluster: Cluster, pool: NodePool, per_zone: int, now: float, rng: Rng,
                ips: dict[str, int]) -> None:
    """Grow with identical VMs; shrink by removing VMs picked at random, as GKE's managed groups do."""
    pool.size_per_zone = per_zone
    for zone in pool.zones:
        nodes = [n for n in cluster.nodes.values() if n.pool == pool.name and n.zone == zone]
        for _ in range(per_zone - len(nodes)):
            add_node(cluster, pool, zone, now, rng, ips)
        while len(nodes) > per_zone:
            victim = nodes.pop(rng.below(len(nodes)))
            remove_node(cluster, victim, now)


def delete_pool(cluster: Cluster, pool: NodePool, now: float) -> None:
    for node in [n for n in cluster.nodes.values() if n.pool == pool.name]:
        remove_node(cluster, node, now)
    cluster.node_pools.remove(pool)


def _internal_ip(region: str, ips: dict[str, int]) -> str:
    n = ips.get(region, 2)
    ips[region] = n + 1
    prefix = catalog.REGION_SUBNETS.get(region, "10.128")
    return f"{prefix}.{n // 254}.{n % 254 + 1}"


def _public_ip(rng: Rng) -> str:
    return f"34.{64 + rng.below(100)}.{rng.below(256)}.{1 + rng.below(254)}"


