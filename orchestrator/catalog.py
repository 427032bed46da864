"""What Google Cloud offers in our simulated world: locations, machine types, images.

Figures are public GCE/GKE facts (vCPU, memory, GKE's allocatable reservations). Image sizes and
start-up times are examples chosen to feel right, not measurements.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

GIB = 2**30
MIB = 2**20

REGIONS: dict[str, tuple[str, ...]] = {
    "asia-northeast3": ("asia-northeast3-a", "asia-northeast3-b", "asia-northeast3-c"),  # 서울
    "asia-northeast1": ("asia-northeast1-a", "asia-northeast1-b", "asia-northeast1-c"),  # 도쿄
    "asia-east1": ("asia-east1-a", "asia-east1-b", "asia-east1-c"),
    "us-central1": ("us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"),
    "us-east1": ("us-east1-b", "us-east1-c", "us-east1-d"),
    "europe-west1": ("europe-west1-b", "europe-west1-c", "europe-west1-d"),
}
ZONES: dict[str, str] = {zone: region for region, zones in REGIONS.items() for zone in zones}

# Node internal addresses per region: the default VPC's auto-mode subnets.
REGION_SUBNETS = {
    "asia-northeast3": "10.178", "asia-northeast1": "10.146", "asia-east1": "10.140",
    "us-central1": "10.128", "us-east1": "10.142", "europe-west1": "10.132",
}


@dataclass(frozen=True)
class MachineType:
    name: str
    vcpus: int
    memory_bytes: int
    shared_core: bool = False

    @property
    def allocatable_cpu_milli(self) -> int:
        """GKE reserves 6% of the first core, 1% of the next, 0.5% of the next two, 0.25% above four."""
        if self.shared_core:
            return 940  # GKE's published allocatable for shared-core e2 types
        milli = self.vcpus * 1000
        reserved = 0.06 * min(milli, 1000)
        reserved += 0.01 * max(0, min(milli, 2000) - 1000)
        reserved += 0.005 * max(0, min(milli, 4000) - 2000)
        reserved += 0.0025 * max(0, milli - 4000)
        return milli - round(reserved)

    @property
    def allocatable_memory_bytes(self) -> int:
        """GKE reserves 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next
        112, 2% above 128 GiB, plus a 100 MiB eviction threshold."""
        mem = self.memory_bytes
        if mem < GIB:
            return mem - 255 * MIB - 100 * MIB
        tiers = ((4 * GIB, 0.25), (4 * GIB, 0.20), (8 * GIB, 0.10), (112 * GIB, 0.06), (float("inf"), 0.02))
        reserved, rest = 0.0, mem
        for size, share in tiers:
            part = min(rest, size)
            reserved += part * share
            rest -= part
            if rest <= 0:
                break
        allocatable = mem - int(reserved) - 100 * MIB
        return allocatable - allocatable % 1024  # kubelet reports whole Ki


MACHINE_TYPES: dict[str, MachineType] = {
    m.name: m
    for m in (
        MachineType("e2-small", 2, 2 * GIB, shared_core=True),
        MachineType("e2-medium", 2, 4 * GIB, shared_core=True),
        MachineType("e2-standard-2", 2, 8 * GIB),
        MachineType("e2-standard-4", 4, 16 * GIB),
        MachineType("e2-standard-8", 8, 32 * GIB),
        MachineType("e2-highmem-2", 2, 16 * GIB),
        MachineType("n1-standard-1", 1, int(3.75 * GIB)),
        MachineType("n1-standard-2", 2, int(7.5 * GIB)),
        MachineType("n1-standard-4", 4, 15 * GIB),
        MachineType("n2-standard-2", 2, 8 * GIB),
        MachineType("n2-standard-4", 4, 16 * GIB),
        MachineType("c3-standard-4", 4, 16 * GIB),
    )
}
DEFAULT_MACHINE_TYPE = "e2-medium"

# EXAMPLE prices in US dollars per hour, roughly GCE's on-demand list prices in Seoul (asia-northeast3).
# They are here to compare choices (bigger nodes, more nodes, Standard vs Autopilot), not to quote a
# bill: real prices differ by region, change over time, and discounts and free tiers apply.
NODE_PRICE_PER_HOUR = {
    "e2-small": 0.0210, "e2-medium": 0.0420, "e2-standard-2": 0.0840, "e2-standard-4": 0.1680,
    "e2-standard-8": 0.3360, "e2-highmem-2": 0.1130, "n1-standard-1": 0.0630, "n1-standard-2": 0.1260,
    "n1-standard-4": 0.2520, "n2-standard-2": 0.1260, "n2-standard-4": 0.2520, "c3-standard-4": 0.2790,
}
CLUSTER_FEE_PER_HOUR = 0.10  # GKE's cluster management fee, per cluster
AUTOPILOT_VCPU_PER_HOUR = 0.0573  # Autopilot bills the pods' requests, not the nodes
AUTOPILOT_GIB_PER_HOUR = 0.0063
MAX_PODS_PER_NODE = 110


COURSE_PROJECT = "k8s-learning"  # the Simulation's default project id


@dataclass(frozen=True)
class Image:
    repository: str
    tags: tuple[str, ...]
    size_bytes: int
    pull_seconds: int
    start_seconds: int
    port: int | None = None
    cpu_per_rps: float = 0.5  # millicores one request per second costs
    idle_cpu: int = 1  # millicores used with no traffic
    idle_memory: int = 8 * 2**20
    latency_ms: float = 4.0  # response time of an idle pod


IMAGES: dict[str, Image] = {
    img.repository: img
    for img in (
        Image("docker.io/library/nginx", ("1.25", "1.26", "1.27", "1.27-alpine", "latest"), 72_000_000, 3, 1, 80),
        Image("docker.io/library/httpd", ("2.4", "latest"), 58_000_000, 3, 1, 80),
        Image("docker.io/library/redis", ("7.2", "7.4", "latest"), 45_000_000, 2, 1, 6379),
        Image("docker.io/library/busybox", ("1.36", "latest"), 2_200_000, 1, 1),
        Image("gcr.io/google-samples/kubernetes-bootcamp", ("v1",), 76_000_000, 4, 2, 8080),
        Image("docker.io/jocatalin/kubernetes-bootcamp", ("v2",), 76_000_000, 4, 2, 8080),
        Image("us-docker.pkg.dev/google-samples/containers/gke/hello-app", ("1.0", "2.0"), 5_800_000, 2, 1, 8080),
        Image("gcr.io/google-samples/hello-app", ("1.0", "2.0"), 5_800_000, 2, 1, 8080),
        # The HPA walkthrough's php-apache image burns CPU on purpose: a few requests keep a core busy.
        Image("registry.k8s.io/hpa-example", ("latest",), 190_000_000, 6, 2, 80, cpu_per_rps=20.0,
              idle_memory=12 * 2**20, latency_ms=40.0),
        # This course's own site (deploy/Dockerfile), as if pushed to Artifact Registry in the simulated
        # project's Seoul repository: gunicorn + Django answer on 8000 and cost more CPU per request than nginx.
        Image(f"asia-northeast3-docker.pkg.dev/{COURSE_PROJECT}/course/web", ("1.0", "1.1"), 165_000_000, 5, 3, 8000,
              cpu_per_rps=4.0, idle_cpu=3, idle_memory=90 * 2**20, latency_ms=25.0),
    )
}


def normalize_image(ref: str) -> tuple[str, str]:
    """Split an image reference into (full repository, tag) the way container runtimes resolve it:
    ``nginx`` is ``docker.io/library/nginx:latest``."""
    name, tag = ref, "latest"
    last = ref.rsplit("/", 1)[-1]
    if "@" in last:
        name, tag = ref.split("@", 1)
    elif ":" in last:
        name, tag = ref.rsplit(":", 1)
    first = name.split("/", 1)[0]
    if "/" not in name:
        name = f"docker.io/library/{name}"
    elif "." not in first and ":" not in first and first != "localhost":
        name = f"docker.io/{name}"
    return name, tag


@lru_cache(maxsize=4096)
def find_image(ref: str) -> Image | None:
    """The registry entry for a reference, or None when the repository or tag does not exist."""
    repository, tag = normalize_image(ref)
    image = IMAGES.get(repository)
    if image is None or tag not in image.tags:
        return None
    return image


class ImageSizes(dict):
    """Image sizes for the scheduler's ImageLocality score, looked up in the catalog on demand."""

    def get(self, ref, default=0):
        image = find_image(ref)
        return (image.size_bytes if image else 0) or default
