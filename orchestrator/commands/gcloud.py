"""Our ``gcloud``: ``gcloud container clusters|node-pools`` and ``gcloud config``, shaped like the real CLI.

gcloud would ask "Do you want to continue (Y/n)?" before deleting or resizing; a one-line console cannot
answer, so we print the prompt answered with Y, which is what a learner would type.
"""

from __future__ import annotations

import re

from .. import catalog, gke
from ..cost import hourly
from ..versions import GKE_VERSION
from .gcloud_autoscaling import AUTOSCALING_FLAGS, autoscaling_from_flags, create_auto, update
from .gcloud_flags import COMMON_FLAGS, LOCATION_FLAGS
from .parse import CommandError, Flag, parse_flags

API = "https://container.googleapis.com/v1/projects"
NAME_RE = re.compile(r"^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$")


def gcloud(sim, args: list[str]) -> str:
    if not args or args[0] in ("-h", "--help", "help"):
        from .help import help_text

        return help_text(["gcloud"])
    if args[0] == "config":
        return _config(sim, args[1:])
    if args[0] != "container":
        raise CommandError(f"gcloud {args[0]}는 이 시뮬레이터에서 지원하지 않습니다. "
                           "gcloud container와 gcloud config를 쓸 수 있습니다.")
    if len(args) < 3:
        raise CommandError("ERROR: (gcloud.container) Command name argument expected.\n"
                           "gcloud container clusters … 또는 gcloud container node-pools … 형식으로 입력해 보세요.")
    group, verb, rest = args[1], args[2], args[3:]
    handler = _COMMANDS.get((group, verb))
    if handler is None:
        raise CommandError(f"ERROR: (gcloud.container.{group}) Invalid choice: '{verb}'.\n"
                           "이 시뮬레이터에서 지원하는 gcloud 명령은 help gcloud로 확인할 수 있습니다.")
    return handler(sim, rest, f"gcloud.container.{group}.{verb}")


def _parse(args: list[str], flags: list[Flag], command: str) -> tuple[list[str], dict]:
    """argparse-style: unknown flags are all reported together, the way gcloud does."""
    known = {f"--{f.name}" for f in flags + COMMON_FLAGS} | {f"-{f.short}" for f in flags + COMMON_FLAGS if f.short}
    unknown = [a for a in args if a.startswith("-") and a.split("=", 1)[0] not in known]
    if unknown:
        listed = "\n".join(f"  {a}" for a in unknown)
        raise CommandError(f"ERROR: ({command}) unrecognized arguments:\n{listed}\n"
                           "  To search the help text of gcloud commands, run:\n  gcloud help -- SEARCH_TERMS")
    try:
        return parse_flags(args, flags + COMMON_FLAGS, command)
    except CommandError as exc:
        message = exc.text.split("\n")[0].removeprefix("error: ")
        raise CommandError(f"ERROR: ({command}) {message}") from None


def _location(sim, flags: dict, command: str) -> str:
    location = flags.get("location") or flags.get("zone") or flags.get("region")
    location = location or sim.config.get("compute/zone") or sim.config.get("compute/region")
    if not location:
        raise CommandError(f"ERROR: ({command}) One of [--zone, --region] must be supplied: Please specify "
                           "location.\n(도움말: --zone=asia-northeast3-a처럼 위치를 지정하거나 "
                           "gcloud config set compute/zone asia-northeast3-a로 기본값을 정해 보세요.)")
    if location not in catalog.ZONES and location not in catalog.REGIONS:
        raise CommandError(f"ERROR: ({command}) ResponseError: code=400, message=Location \"{location}\" does "
                           "not exist.")
    return location


def _cluster(sim, name: str, location: str, command: str):
    cluster = sim.clusters.get(name)
    if cluster is None or cluster.location != location:
        raise CommandError(f"ERROR: ({command}) ResponseError: code=404, message=Not found: projects/"
                           f"{sim.project}/locations/{location}/clusters/{name}.")
    return cluster


def _self_link(sim, cluster) -> str:
    return f"{API}/{sim.project}/zones/{cluster.location}/clusters/{cluster.name}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    """gcloud's table format: columns two spaces apart, no trailing padding."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in [header, *rows]]
    return "\n".join(lines)


def _cluster_row(cluster) -> list[str]:
    machine = cluster.node_pools[0].machine_type if cluster.node_pools else ""
    return [cluster.name, cluster.location, cluster.master_version, cluster.endpoint, machine, GKE_VERSION,
            str(len(cluster.nodes)), cluster.status]


CLUSTER_HEADER = ["NAME", "LOCATION", "MASTER_VERSION", "MASTER_IP", "MACHINE_TYPE", "NODE_VERSION", "NUM_NODES",
                  "STATUS"]


def _check_cluster_name(name: str, command: str) -> None:
    if not NAME_RE.match(name):
        raise CommandError(
            f"ERROR: ({command}) ResponseError: code=400, message=Invalid value for field 'cluster.name': "
            f"'{name}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{{0,38}}[a-z0-9])?)' (only alphanumerics "
            "and '-' allowed, must start with a letter and end with an alphanumeric, and must be no longer than "
            "40 characters).")


def _create(sim, args, command):
    flags_spec = [*LOCATION_FLAGS, Flag("num-nodes", None, "int", 3), Flag("machine-type", "m"),
                  Flag("disk-size"), *AUTOSCALING_FLAGS]
    positional, flags = _parse(args, flags_spec, command)
    if len(positional) != 1:
        raise CommandError(f"ERROR: ({command}) argument NAME: Must be specified."
                           if not positional else f"ERROR: ({command}) unrecognized arguments: {positional[1]}")
    name = positional[0]
    _check_cluster_name(name, command)
    location = _location(sim, flags, command)
    if name in sim.clusters:
        existing = sim.clusters[name]
        raise CommandError(f"ERROR: ({command}) ResponseError: code=409, message=Already exists: projects/"
                           f"{sim.project}/zones/{existing.location}/clusters/{name}.")
    if len(sim.clusters) >= sim.limits.max_clusters:
        raise CommandError(f"이 샌드박스에서는 클러스터를 최대 {sim.limits.max_clusters}개까지 만들 수 있습니다. "
                           "gcloud container clusters delete로 하나를 지운 뒤 다시 시도해 보세요.")
    machine = flags["machine-type"] or catalog.DEFAULT_MACHINE_TYPE
    _check_machine(machine, location, command)
    per_zone = flags["num-nodes"]
    zones = list(catalog.REGIONS[location]) if location in catalog.REGIONS else [location]
    _check_nodes(sim, per_zone, len(zones), command)
    autoscaling = autoscaling_from_flags(flags, len(zones), command)
    if autoscaling and autoscaling["max"] * len(zones) > sim.limits.max_nodes_per_cluster:
        raise CommandError(f"이 샌드박스에서는 클러스터 하나에 노드를 최대 {sim.limits.max_nodes_per_cluster}개까지 "
                           "둘 수 있습니다. --max-nodes를 줄여 주세요.")
    cluster = gke.new_cluster(name, location, "standard", sim.time, sim.rng, sim.clusters_created)
    sim.clusters_created += 1
    sim.clusters[name] = cluster
    pool = gke.add_pool(cluster, "default-pool", machine, zones, per_zone, sim.time, sim.rng, sim.ips)
    pool.autoscaling = autoscaling
    return _created(sim, cluster, location)


def _created(sim, cluster, location: str) -> str:
    name = cluster.name
    _write_kubeconfig(sim, cluster)
    console = f"https://console.cloud.google.com/kubernetes/workload_/gcloud/{location}/{name}?project={sim.project}"
    return (
        f"Creating cluster {name} in {location}... Cluster is being health-checked (master is healthy)...done.\n"
        f"Created [{_self_link(sim, cluster)}].\n"
        f"To inspect the contents of your cluster, go to: {console}\n"
        f"kubeconfig entry generated for {name}.\n" + _table(CLUSTER_HEADER, [_cluster_row(cluster)])
    )


def _check_machine(machine: str, location: str, command: str) -> None:
    if machine not in catalog.MACHINE_TYPES:
        known = ", ".join(catalog.MACHINE_TYPES)
        raise CommandError(f"ERROR: ({command}) ResponseError: code=400, message=Machine type \"{machine}\" does "
                           f"not exist in location \"{location}\".\n(이 시뮬레이터의 머신 유형: {known})")


def _check_nodes(sim, per_zone: int, zones: int, command: str, existing: int = 0) -> None:
    if per_zone < 0:
        raise CommandError(f"ERROR: ({command}) argument --num-nodes: Value must be greater than or equal to 0; "
                           f"received: {per_zone}")
    total = per_zone * zones + existing
    cap = sim.limits.max_nodes_per_cluster
    if total > cap:
        raise CommandError(f"이 샌드박스에서는 클러스터 하나에 노드를 최대 {cap}개까지 둘 수 있습니다 "
                           f"(요청: {total}개). 노드 수를 줄여 주세요.")
    pods_needed = total * (1 + len(gke.SYSTEM_DAEMONS))
    if pods_needed > sim.pod_room():
        raise CommandError("노드마다 시스템 파드가 함께 뜨는데, 그러면 이 샌드박스의 파드 한도"
                           f"({sim.limits.max_pods:,}개)를 넘습니다. 노드 수를 줄여 주세요.")


def _write_kubeconfig(sim, cluster) -> None:
    context = sim.context_name(cluster)
    sim.contexts[context] = cluster.name
    sim.current_context = context


def _list(sim, args, command):
    _, flags = _parse(args, LOCATION_FLAGS + [Flag("filter")], command)
    where = flags.get("location") or flags.get("zone") or flags.get("region")
    clusters = [c for c in sim.clusters.values() if not where or c.location == where]
    if not clusters:
        return "Listed 0 items."
    return _table(CLUSTER_HEADER, [_cluster_row(c) for c in clusters])


def _describe(sim, args, command):
    positional, flags = _parse(args, LOCATION_FLAGS, command)
    if len(positional) != 1:
        raise CommandError(f"ERROR: ({command}) argument NAME: Must be specified.")
    cluster = _cluster(sim, positional[0], _location(sim, flags, command), command)
    lines = [
        f"clusterIpv4Cidr: 10.{cluster.pod_cidr_base}.0.0/14",
        f"createTime: '{_iso(cluster.created)}'",
        f"currentMasterVersion: {cluster.master_version}",
        f"currentNodeCount: {len(cluster.nodes)}",
        f"currentNodeVersion: {GKE_VERSION}",
        f"endpoint: {cluster.endpoint}",
        f"initialClusterVersion: {cluster.master_version}",
        f"location: {cluster.location}",
        "locations:",
        *[f"- {z}" for z in cluster.zones],
        f"name: {cluster.name}",
        "nodePools:",
    ]
    for pool in cluster.node_pools:
        scaling = pool.autoscaling
        lines += [
            *(["- autoscaling:", "    enabled: true", f"    maxNodeCount: {scaling['max']}",
               f"    minNodeCount: {scaling['min']}", "  config:"] if scaling else ["- config:"]),
            f"    diskSizeGb: {pool.disk_size_gb}",
            f"    machineType: {pool.machine_type}",
            f"  initialNodeCount: {pool.size_per_zone}",
            "  locations:",
            *[f"  - {z}" for z in pool.zones],
            f"  name: {pool.name}",
            "  status: RUNNING",
            f"  version: {GKE_VERSION}",
        ]
    if cluster.mode == "autopilot":
        lines.insert(0, "autopilot:\n  enabled: true")
    lines += [f"selfLink: {_self_link(sim, cluster)}", "servicesIpv4Cidr: 34.118.224.0/20",
              f"status: {cluster.status}", f"zone: {cluster.location}"]
    # Not part of gcloud's output: our estimate, as a YAML comment so the document stays valid.
    lines.append(f"# 예상 비용(예시 가격): 시간당 ${hourly(cluster):.4f} — 자세히는 sim cost")
    return "\n".join(lines)


def _iso(seconds: float) -> str:
    import time

    from ..timefmt import EPOCH

    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(EPOCH + int(seconds)))


def _delete(sim, args, command):
    positional, flags = _parse(args, LOCATION_FLAGS, command)
    if not positional:
        raise CommandError(f"ERROR: ({command}) argument NAMES: Must be specified.")
    location = _location(sim, flags, command)
    clusters = [_cluster(sim, name, location, command) for name in positional]
    out = []
    if not flags["quiet"]:
        out.append("The following clusters will be deleted.")
        out += [f" - [{c.name}] in [{c.location}]" for c in clusters]
        out += ["", "Do you want to continue (Y/n)?  Y", ""]
    for cluster in clusters:
        del sim.clusters[cluster.name]
        for context, target in list(sim.contexts.items()):
            if target == cluster.name:
                del sim.contexts[context]
                if sim.current_context == context:
                    sim.current_context = None
        out.append(f"Deleting cluster {cluster.name}...done.")
        out.append(f"Deleted [{_self_link(sim, cluster)}].")
    return "\n".join(out)


def _pool(cluster, name: str | None, command: str):
    if name is None:
        if len(cluster.node_pools) != 1:
            raise CommandError(f"ERROR: ({command}) --node-pool must be specified.")
        return cluster.node_pools[0]
    for pool in cluster.node_pools:
        if pool.name == name:
            return pool
    raise CommandError(f"ERROR: ({command}) ResponseError: code=404, message=Not found: projects/.../nodePools/"
                       f"{name}.")


def _resize(sim, args, command):
    spec = [*LOCATION_FLAGS, Flag("num-nodes", None, "int"), Flag("size", None, "int"), Flag("node-pool")]
    positional, flags = _parse(args, spec, command)
    if len(positional) != 1:
        raise CommandError(f"ERROR: ({command}) argument NAME: Must be specified.")
    size = flags["num-nodes"] if flags["num-nodes"] is not None else flags["size"]
    if size is None:
        raise CommandError(f"ERROR: ({command}) Exactly one of (--num-nodes | --size) must be specified.")
    cluster = _cluster(sim, positional[0], _location(sim, flags, command), command)
    _refuse_autopilot(cluster, command)
    pool = _pool(cluster, flags["node-pool"], command)
    others = sum(1 for n in cluster.nodes.values() if n.pool != pool.name)
    _check_nodes(sim, size, len(pool.zones), command, existing=others)
    gke.resize_pool(cluster, pool, size, sim.time, sim.rng, sim.ips)
    out = []
    if not flags["quiet"]:
        out += [f"Pool [{pool.name}] for [{cluster.name}] will be resized to {size} node(s) in each zone it spans.",
                "", "Do you want to continue (Y/n)?  Y", ""]
    out += [f"Resizing {cluster.name}...done.", f"Updated [{_self_link(sim, cluster)}]."]
    return "\n".join(out)


def _get_credentials(sim, args, command):
    positional, flags = _parse(args, LOCATION_FLAGS, command)
    if len(positional) != 1:
        raise CommandError(f"ERROR: ({command}) argument NAME: Must be specified.")
    cluster = _cluster(sim, positional[0], _location(sim, flags, command), command)
    _write_kubeconfig(sim, cluster)
    return f"Fetching cluster endpoint and auth data.\nkubeconfig entry generated for {cluster.name}."


def _pool_args(sim, args, command, extra):
    positional, flags = _parse(args, [*LOCATION_FLAGS, Flag("cluster"), *extra], command)
    name = flags["cluster"] or sim.config.get("container/cluster")
    if not name:
        raise CommandError(f"ERROR: ({command}) Missing required argument [--cluster]: 클러스터 이름을 "
                           "--cluster로 지정해 주세요.")
    cluster = _cluster(sim, name, _location(sim, flags, command), command)
    return positional, flags, cluster


def _refuse_autopilot(cluster, command: str) -> None:
    if cluster.mode == "autopilot":
        raise CommandError(f"ERROR: ({command}) ResponseError: code=400, message=This operation is not supported "
                           "on Autopilot clusters.\n(Autopilot에서는 노드와 노드 풀을 GKE가 관리합니다. "
                           "파드의 요청(request)만 정하면 필요한 노드가 알아서 생기고 없어집니다.)")


def _pool_create(sim, args, command):
    positional, flags, cluster = _pool_args(
        sim, args, command,
        [Flag("num-nodes", None, "int", 3), Flag("machine-type", "m"), Flag("disk-size"), *AUTOSCALING_FLAGS])
    _refuse_autopilot(cluster, command)
    if len(positional) != 1:
        raise CommandError(f"ERROR: ({command}) argument NAME: Must be specified.")
    name = positional[0]
    _check_cluster_name(name, command)
    if any(p.name == name for p in cluster.node_pools):
        raise CommandError(f"ERROR: ({command}) ResponseError: code=409, message=Already exists: projects/"
                           f"{sim.project}/zones/{cluster.location}/clusters/{cluster.name}/nodePools/{name}.")
    machine = flags["machine-type"] or catalog.DEFAULT_MACHINE_TYPE
    _check_machine(machine, cluster.location, command)
    _check_nodes(sim, flags["num-nodes"], len(cluster.zones), command, existing=len(cluster.nodes))
    autoscaling = autoscaling_from_flags(flags, len(cluster.zones), command)
    pool = gke.add_pool(cluster, name, machine, list(cluster.zones), flags["num-nodes"], sim.time, sim.rng,
                        sim.ips)
    pool.autoscaling = autoscaling
    return (f"Creating node pool {name}...done.\n"
            f"Created [{_self_link(sim, cluster)}/nodePools/{name}].\n"
            + _table(["NAME", "MACHINE_TYPE", "DISK_SIZE_GB", "NODE_VERSION"],
                     [[pool.name, pool.machine_type, str(pool.disk_size_gb), GKE_VERSION]]))


def _pool_list(sim, args, command):
    _, _, cluster = _pool_args(sim, args, command, [])
    rows = [[p.name, p.machine_type, str(p.disk_size_gb), GKE_VERSION] for p in cluster.node_pools]
    if not rows:
        return "Listed 0 items."
    return _table(["NAME", "MACHINE_TYPE", "DISK_SIZE_GB", "NODE_VERSION"], rows)


def _pool_delete(sim, args, command):
    positional, flags, cluster = _pool_args(sim, args, command, [])
    if len(positional) != 1:
        raise CommandError(f"ERROR: ({command}) argument NAME: Must be specified.")
    _refuse_autopilot(cluster, command)
    pool = _pool(cluster, positional[0], command)
    out = []
    if not flags["quiet"]:
        out += ["The following node pools will be deleted.",
                f" - [{pool.name}] in cluster [{cluster.name}] in [{cluster.location}]",
                "", "Do you want to continue (Y/n)?  Y", ""]
    gke.delete_pool(cluster, pool, sim.time)
    out += [f"Deleting node pool {pool.name}...done.",
            f"Deleted [{_self_link(sim, cluster)}/nodePools/{pool.name}]."]
    return "\n".join(out)


def _config(sim, args):
    if not args:
        raise CommandError("ERROR: (gcloud.config) Command name argument expected.")
    verb, rest = args[0], args[1:]
    settable = {"compute/zone": catalog.ZONES, "compute/region": catalog.REGIONS, "project": None,
                "container/cluster": None}
    if verb == "set":
        if len(rest) != 2:
            raise CommandError("ERROR: (gcloud.config.set) argument SECTION/PROPERTY VALUE: Must be specified.")
        key, value = rest
        if key not in settable:
            raise CommandError(f"ERROR: (gcloud.config.set) Section [{key.split('/')[0]}] has no property "
                               f"[{key.split('/')[-1]}].")
        if settable[key] is not None and value not in settable[key]:
            raise CommandError(f"ERROR: (gcloud.config.set) '{value}'은(는) 이 시뮬레이터가 아는 위치가 아닙니다.")
        if key == "project":
            if sim.clusters:
                raise CommandError("클러스터가 있는 동안에는 프로젝트를 바꿀 수 없습니다 (이 시뮬레이터의 제약).")
            sim.project = value
        sim.config[key] = value
        return f"Updated property [{key}]."
    if verb == "get-value":
        if len(rest) != 1:
            raise CommandError("ERROR: (gcloud.config.get-value) argument SECTION/PROPERTY: Must be specified.")
        return sim.config.get(rest[0], "(unset)")
    if verb == "list":
        sections: dict[str, list[str]] = {"core": [f"project = {sim.project}"]}
        for key, value in sorted(sim.config.items()):
            if "/" in key:
                section, prop = key.split("/", 1)
                sections.setdefault(section, []).append(f"{prop} = {value}")
        out = []
        for section in ["compute", "container", "core"]:
            if section in sections:
                out.append(f"[{section}]")
                out.extend(sections[section])
        return "\n".join(out)
    raise CommandError(f"gcloud config {verb}는 지원하지 않습니다. set, get-value, list를 쓸 수 있습니다.")


def _update(sim, args, command):
    return update(sim, args, command, _parse, _location, _cluster, _pool, _self_link)


def _create_auto(sim, args, command):
    return create_auto(sim, args, command, _parse, _location, _check_cluster_name, _created)


_COMMANDS = {
    ("clusters", "create"): _create,
    ("clusters", "create-auto"): _create_auto,
    ("clusters", "update"): _update,
    ("clusters", "list"): _list,
    ("clusters", "describe"): _describe,
    ("clusters", "delete"): _delete,
    ("clusters", "resize"): _resize,
    ("clusters", "get-credentials"): _get_credentials,
    ("node-pools", "create"): _pool_create,
    ("node-pools", "list"): _pool_list,
    ("node-pools", "delete"): _pool_delete,
}
