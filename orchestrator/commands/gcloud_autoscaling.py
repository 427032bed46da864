"""gcloud's autoscaling side: ``--enable-autoscaling`` flags, ``clusters update`` and ``create-auto``."""

from __future__ import annotations

from .. import catalog, gke
from ..controllers.cluster_autoscaler import pool_nodes
from .gcloud_flags import LOCATION_FLAGS
from .parse import CommandError, Flag

AUTOSCALING_FLAGS = [Flag("enable-autoscaling", None, "bool"), Flag("no-enable-autoscaling", None, "bool"),
                     Flag("min-nodes", None, "int"), Flag("max-nodes", None, "int"),
                     Flag("total-min-nodes", None, "int"), Flag("total-max-nodes", None, "int")]
AUTOPILOT_START_NODES = 2  # a fresh Autopilot cluster runs its system pods on a couple of nodes


def autoscaling_from_flags(flags: dict, zones: int, command: str) -> dict | None:
    """``{"min", "max"}`` per zone from the flags, None when autoscaling is not asked for."""
    given = [f for f in ("min-nodes", "max-nodes", "total-min-nodes", "total-max-nodes") if flags.get(f) is not None]
    if not flags.get("enable-autoscaling"):
        if given:
            raise CommandError(f"ERROR: ({command}) Cannot specify --{given[0]} without --enable-autoscaling.")
        return None
    low = flags.get("min-nodes")
    high = flags.get("max-nodes")
    if flags.get("total-min-nodes") is not None:
        low = -(-flags["total-min-nodes"] // zones)
    if flags.get("total-max-nodes") is not None:
        high = flags["total-max-nodes"] // zones
    if high is None:
        raise CommandError(f"ERROR: ({command}) Must specify --max-nodes (or --total-max-nodes) with "
                           "--enable-autoscaling.")
    low = 0 if low is None else low
    if low < 0 or high < 1 or low > high:
        raise CommandError(f"ERROR: ({command}) ResponseError: code=400, message=Invalid value for autoscaling: "
                           f"min node count {low} and max node count {high} must satisfy 0 <= min <= max, max > 0.")
    return {"min": low, "max": high}


def update(sim, args: list[str], command: str, parse, location_of, cluster_of, pool_of, self_link) -> str:
    """``gcloud container clusters update NAME --enable-autoscaling --min-nodes N --max-nodes M``."""
    positional, flags = parse(args, [*LOCATION_FLAGS, Flag("node-pool"), *AUTOSCALING_FLAGS], command)
    if len(positional) != 1:
        raise CommandError(f"ERROR: ({command}) argument NAME: Must be specified.")
    cluster = cluster_of(sim, positional[0], location_of(sim, flags, command), command)
    if cluster.mode == "autopilot":
        raise CommandError(f"ERROR: ({command}) ResponseError: code=400, message=Autopilot clusters manage node "
                           "autoscaling themselves.\n(Autopilot 클러스터는 노드 수를 GKE가 알아서 조절합니다.)")
    pool = pool_of(cluster, flags["node-pool"], command)
    if flags["no-enable-autoscaling"]:
        pool.autoscaling = None
    elif flags["enable-autoscaling"]:
        pool.autoscaling = autoscaling_from_flags(flags, len(pool.zones), command)
        cap = pool.autoscaling["max"] * len(pool.zones) + len(cluster.nodes) - len(pool_nodes(cluster, pool))
        if cap > sim.limits.max_nodes_per_cluster:
            cap = sim.limits.max_nodes_per_cluster
            raise CommandError(f"이 샌드박스에서는 클러스터 하나에 노드를 최대 {cap}개까지 둘 수 있습니다. "
                               "--max-nodes를 줄여 주세요.")
    else:
        raise CommandError(f"ERROR: ({command}) 바꿀 설정을 지정해 주세요. 예: --enable-autoscaling --min-nodes=1 "
                           "--max-nodes=5 --node-pool=default-pool")
    console = (f"https://console.cloud.google.com/kubernetes/workload_/gcloud/{cluster.location}/{cluster.name}"
               f"?project={sim.project}")
    return (f"Updating {cluster.name}...done.\nUpdated [{self_link(sim, cluster)}].\n"
            f"To inspect the contents of your cluster, go to: {console}")


def create_auto(sim, args: list[str], command: str, parse, location_of, check_name, finish) -> str:
    """``gcloud container clusters create-auto NAME --region R``: GKE manages the nodes."""
    positional, flags = parse(args, LOCATION_FLAGS, command)
    if len(positional) != 1:
        raise CommandError(f"ERROR: ({command}) argument NAME: Must be specified.")
    name = positional[0]
    check_name(name, command)
    location = location_of(sim, flags, command)
    if location not in catalog.REGIONS:
        raise CommandError(f"ERROR: ({command}) ResponseError: code=400, message=Autopilot clusters must be "
                           f"regional clusters.\n(Autopilot 클러스터는 리전에 만듭니다. 예: --region=asia-northeast3)")
    if name in sim.clusters:
        raise CommandError(f"ERROR: ({command}) ResponseError: code=409, message=Already exists: projects/"
                           f"{sim.project}/locations/{location}/clusters/{name}.")
    if len(sim.clusters) >= sim.limits.max_clusters:
        raise CommandError(f"이 샌드박스에서는 클러스터를 최대 {sim.limits.max_clusters}개까지 만들 수 있습니다.")
    cluster = gke.new_cluster(name, location, "autopilot", sim.time, sim.rng, sim.clusters_created)
    sim.clusters_created += 1
    sim.clusters[name] = cluster
    zones = list(catalog.REGIONS[location])
    pool = gke.add_pool(cluster, "default-pool", "e2-standard-2", zones, 0, sim.time, sim.rng, sim.ips)
    pool.autoscaling = {"min": 0, "max": 1000}
    for zone in zones[:AUTOPILOT_START_NODES]:
        gke.add_node(cluster, pool, zone, sim.time, sim.rng, sim.ips)
    return finish(sim, cluster, location)
