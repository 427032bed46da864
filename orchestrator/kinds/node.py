"""Node: a machine (here a Compute Engine VM of a node pool) that runs pods; the cluster keeps nodes by name.
``kubectl describe node`` is kubectl's describeNode for a GKE node, line for line.

Identifiers a real node would carry (instance id, machine id, boot id) are derived from the node's name,
so the same node always shows the same values.
"""

from __future__ import annotations

import hashlib

from ..api_fields import derived_uid, iso, object_meta
from ..describing import Describer, Lines, sha_hex
from ..objects import Node
from ..quantity import format_cpu, format_memory
from ..timefmt import rfc1123z
from ..versions import CONTAINER_RUNTIME, GKE_VERSION, KERNEL_VERSION, OS_IMAGE
from .kind import AGE, NAME, Column, Kind

# A 100 GB boot disk as a GKE node reports it: the stateful partition's size, and what is left for pods.
EPHEMERAL_CAPACITY_KI_PER_100GB = 98_831_908
EPHEMERAL_ALLOCATABLE_PER_100GB = 47_060_071_478
UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "value": ""}
PRESSURE = (
    ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
)


def _describe(ctx: Describer, node: Node) -> str:
    cluster, project = ctx.cluster, ctx.sim.project
    w = Lines()
    w.add(f"Name:\t{node.name}", "Roles:\t<none>")
    w.labels("Labels", node.labels)
    instance_id = str(10**18 + int(sha_hex("instance:" + node.name), 16) % (9 * 10**18))  # 19 digits
    w.annotations("Annotations", {
        "container.googleapis.com/instance_id": instance_id,
        "csi.volume.kubernetes.io/nodeid":
            f'{{"pd.csi.storage.gke.io":"projects/{project}/zones/{node.zone}/instances/{node.name}"}}',
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
    })
    w.add(f"CreationTimestamp:\t{rfc1123z(node.created)}")
    taints = list(node.taints)
    if node.unschedulable and not any(t["key"] == UNSCHEDULABLE_TAINT["key"] for t in taints):
        taints.append(UNSCHEDULABLE_TAINT)  # the node lifecycle controller adds it to a cordoned node
    w.multiline("Taints", [f"{t['key']}{'=' + t['value'] if t.get('value') else ''}:{t['effect']}"
                           for t in sorted(taints, key=lambda t: f"{t['effect']},{t['key']}")])
    w.add(f"Unschedulable:\t{str(node.unschedulable).lower()}")
    heartbeat = rfc1123z(node.down_since if node.down_since is not None else ctx.now)
    w.add("Lease:", f"  HolderIdentity:\t{node.name}", "  AcquireTime:\t<unset>", f"  RenewTime:\t{heartbeat}")
    _conditions(w, node, heartbeat)
    dns = f"{node.name}.{node.zone}.c.{project}.internal"
    w.add("Addresses:", f"  InternalIP:\t{node.internal_ip}", f"  ExternalIP:\t{node.external_ip}",
          f"  InternalDNS:\t{dns}", f"  Hostname:\t{dns}")
    pool = next((p for p in cluster.node_pools if p.name == node.pool), None)
    disk_gb = pool.disk_size_gb if pool is not None else 100
    for title, cpu, memory, storage in (
        ("Capacity", node.capacity_cpu, node.capacity_memory,
         f"{EPHEMERAL_CAPACITY_KI_PER_100GB * disk_gb // 100}Ki"),
        ("Allocatable", node.cpu, node.memory, str(EPHEMERAL_ALLOCATABLE_PER_100GB * disk_gb // 100)),
    ):
        w.add(f"{title}:", f"  cpu:\t{format_cpu(cpu)}", f"  ephemeral-storage:\t{storage}",
              "  hugepages-1Gi:\t0", "  hugepages-2Mi:\t0", f"  memory:\t{memory // 1024}Ki",
              f"  pods:\t{node.max_pods}")
    machine_id = sha_hex("machine:" + node.name)[:32]
    boot = sha_hex("boot:" + node.name)
    index = node.pod_cidr_index
    cidr = f"10.{cluster.pod_cidr_base + index // 256}.{index % 256}.0/24"
    w.add("System Info:", f"  Machine ID:\t{machine_id}", f"  System UUID:\t{_uuid(machine_id)}",
          f"  Boot ID:\t{_uuid(boot)}", f"  Kernel Version:\t{KERNEL_VERSION}", f"  OS Image:\t{OS_IMAGE}",
          "  Operating System:\tlinux", "  Architecture:\tamd64",
          f"  Container Runtime Version:\t{CONTAINER_RUNTIME}", f"  Kubelet Version:\tv{GKE_VERSION}",
          f"PodCIDR:\t{cidr}", f"PodCIDRs:\t{cidr}", f"ProviderID:\tgce://{project}/{node.zone}/{node.name}")
    _resources(ctx, w, node)
    ctx.events(w, "Node", node.name, None)
    return w.text()


def _uuid(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:32]}"


def _conditions(w: Lines, node: Node, heartbeat: str) -> None:
    w.add("Conditions:", "  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage",
          "  ----\t------\t-----------------\t------------------\t------\t-------")
    created, changed = rfc1123z(node.created), rfc1123z(node.ready_changed)
    if node.ready == "Unknown":
        rows = [(kind, "Unknown", changed, "NodeStatusUnknown", "Kubelet stopped posting node status.")
                for kind in ("MemoryPressure", "DiskPressure", "PIDPressure", "Ready")]
    else:
        rows = [(kind, "False", created, reason, message) for kind, reason, message in PRESSURE]
        if node.ready == "True":
            rows.append(("Ready", "True", changed, "KubeletReady", "kubelet is posting ready status"))
        else:
            rows.append(("Ready", "False", changed, "KubeletNotReady", "container runtime is down"))
    for kind, status, transition, reason, message in rows:
        w.add(f"  {kind} \t{status} \t{heartbeat} \t{transition} \t{reason} \t{message}")


def _percent(part: int, whole: int) -> int:
    return int(part / whole * 100) if whole else 0


def _resources(ctx: Describer, w: Lines, node: Node) -> None:
    """The Non-terminated Pods table (every pod bound here that has not finished, terminating ones too)
    and the Allocated resources summary, with percentages of allocatable truncated like kubectl's."""
    pods = sorted((p for p in ctx.cluster.pods_on(node) if p.phase not in ("Succeeded", "Failed")),
                  key=lambda p: (p.namespace, p.name))
    w.add(f"Non-terminated Pods:\t({len(pods)} in total)",
          "  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge",
          "  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---")
    totals = {"cpu": 0, "memory": 0, "limit_cpu": 0, "limit_memory": 0}
    for pod in pods:
        sums = {k: sum(c.get(k) or 0 for c in pod.containers) for k in totals}
        for k, v in sums.items():
            totals[k] += v
        w.add(f"  {pod.namespace}\t{pod.name}\t\t{_cell(sums, 'cpu', node)}\t{_cell(sums, 'limit_cpu', node)}\t"
              f"{_cell(sums, 'memory', node)}\t{_cell(sums, 'limit_memory', node)}\t{ctx.age(pod.created)}")
    w.add("Allocated resources:", "  (Total limits may be over 100 percent, i.e., overcommitted.)",
          "  Resource\tRequests\tLimits", "  --------\t--------\t------",
          f"  cpu\t{_cell(totals, 'cpu', node)}\t{_cell(totals, 'limit_cpu', node)}",
          f"  memory\t{_cell(totals, 'memory', node)}\t{_cell(totals, 'limit_memory', node)}",
          "  ephemeral-storage\t0 (0%)\t0 (0%)", "  hugepages-1Gi\t0 (0%)\t0 (0%)", "  hugepages-2Mi\t0 (0%)\t0 (0%)")


def _cell(sums: dict[str, int], key: str, node: Node) -> str:
    value = sums[key]
    if key.endswith("cpu"):
        return f"{format_cpu(value)} ({_percent(value, node.cpu)}%)"
    return f"{format_memory(value)} ({_percent(value, node.memory)}%)"


def _render(sim, cluster, node: Node) -> dict:
    index = node.pod_cidr_index
    cidr = f"10.{cluster.pod_cidr_base + index // 256}.{index % 256}.0/24"
    taints = [{"effect": t["effect"], "key": t["key"], **({"value": t["value"]} if t.get("value") else {})}
              for t in node.taints]
    if node.unschedulable and not any(t["key"] == "node.kubernetes.io/unschedulable" for t in taints):
        taints.append({"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable",
                       "timeAdded": iso(node.ready_changed)})
    spec: dict = {"podCIDR": cidr, "podCIDRs": [cidr], "providerID": f"gce://{sim.project}/{node.zone}/{node.name}"}
    if taints:
        spec["taints"] = taints
    if node.unschedulable:
        spec["unschedulable"] = True
    if node.ready == "Unknown":
        rows = [(kind, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
                for kind in ("MemoryPressure", "DiskPressure", "PIDPressure", "Ready")]
    else:
        rows = [(kind, "False", reason, message) for kind, reason, message in PRESSURE]
        rows.append(("Ready", "True", "KubeletReady", "kubelet is posting ready status") if node.ready == "True"
                    else ("Ready", "False", "KubeletNotReady", "container runtime is down"))
    beat = iso(node.down_since if node.down_since is not None else sim.time)
    conditions = [{"type": kind, "status": st, "reason": reason, "message": message, "lastHeartbeatTime": beat,
                   "lastTransitionTime": iso(node.ready_changed if kind == "Ready" else node.created)}
                  for kind, st, reason, message in rows]
    dns = f"{node.name}.{node.zone}.c.{sim.project}.internal"

    def resources(cpu: int, memory: int) -> dict:
        return {"cpu": format_cpu(cpu), "ephemeral-storage": "47060071478", "hugepages-1Gi": "0",
                "hugepages-2Mi": "0", "memory": f"{memory // 1024}Ki", "pods": str(node.max_pods)}

    machine = hashlib.sha256(f"machine:{node.name}".encode()).hexdigest()[:32]
    status = {"addresses": [{"address": node.internal_ip, "type": "InternalIP"},
                            {"address": node.external_ip, "type": "ExternalIP"},
                            {"address": dns, "type": "InternalDNS"}, {"address": dns, "type": "Hostname"}],
              "allocatable": resources(node.cpu, node.memory),
              "capacity": resources(node.capacity_cpu, node.capacity_memory), "conditions": conditions,
              "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
              "nodeInfo": {"architecture": "amd64", "bootID": derived_uid(f"boot:{node.name}"),
                           "containerRuntimeVersion": CONTAINER_RUNTIME, "kernelVersion": KERNEL_VERSION,
                           "kubeProxyVersion": f"v{GKE_VERSION}", "kubeletVersion": f"v{GKE_VERSION}",
                           "machineID": machine, "operatingSystem": "linux", "osImage": OS_IMAGE,
                           "systemUUID": derived_uid(f"system:{node.name}")}}
    annotations = {"node.alpha.kubernetes.io/ttl": "0",
                   "volumes.kubernetes.io/controller-managed-attach-detach": "true"}
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": object_meta(node.name, None, derived_uid(f"node:{node.name}"), node.created, node.labels,
                                    annotations),
            "spec": spec, "status": status}


KIND = Kind(
    kind="Node", plural="nodes", singular="node", short_names=("no",), group="", namespaced=False, record=Node,
    listing=lambda cluster, namespace, every_ns: sorted(cluster.nodes.values(), key=lambda n: n.name),
    columns=(NAME, Column("STATUS", lambda ctx, n: n.status_text), Column("ROLES", lambda ctx, n: "<none>"), AGE,
             Column("VERSION", lambda ctx, n: f"v{GKE_VERSION}"),
             Column("INTERNAL-IP", lambda ctx, n: n.internal_ip, wide=True),
             Column("EXTERNAL-IP", lambda ctx, n: n.external_ip, wide=True),
             Column("OS-IMAGE", lambda ctx, n: OS_IMAGE, wide=True),
             Column("KERNEL-VERSION", lambda ctx, n: KERNEL_VERSION, wide=True),
             Column("CONTAINER-RUNTIME", lambda ctx, n: CONTAINER_RUNTIME, wide=True)),
    describe=_describe,
    render=_render,
)
