"""Names and addresses shaped like the real ones, drawn from the simulation's seeded RNG."""

from __future__ import annotations

import functools
import hashlib
import json

from .rng import Rng

# apimachinery's rand.String alphabet: no vowels, no look-alikes, so names never spell words.
SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
HEX = "0123456789abcdef"
LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


def fnv32a(data: bytes) -> int:
    h = 0x811C9DC5
    for byte in data:
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def safe_encode(text: str) -> str:
    """apimachinery's SafeEncodeString: map each character into the suffix alphabet."""
    return "".join(SUFFIX_ALPHABET[ord(ch) % len(SUFFIX_ALPHABET)] for ch in text)


def pod_template_hash(template: dict, collision_count: int = 0) -> str:
    """Like the deployment controller: FNV-32a of the pod template, safe-encoded.

    The same template always gives the same hash, which is why rolling back to an old template finds
    its old ReplicaSet again.
    """
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count:
        data += str(collision_count).encode()
    return _encoded_fnv32a(data)


@functools.lru_cache(maxsize=1024)
def _encoded_fnv32a(data: bytes) -> str:
    # The controllers ask for the same few templates' hashes on every reconcile; the byte loop is the cost.
    return safe_encode(str(fnv32a(data)))


def pod_suffix(rng: Rng) -> str:
    return rng.token(SUFFIX_ALPHABET, 5)


def uid(rng: Rng) -> str:
    raw = rng.token(HEX, 32)
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def node_name(cluster: str, pool: str, group_hash: str, rng: Rng, prefix: str = "gke") -> str:
    """GKE's ``gke-<cluster>-<pool>-<8 hex>-<4 chars>`` (``gk3-`` on Autopilot); long cluster and pool
    names are cut so the name fits in 63 characters."""
    budget = 63 - len(prefix) - 3 - len(group_hash) - 5
    cluster_part, pool_part = cluster[: max(1, budget // 2)], pool
    pool_part = pool_part[: max(1, budget - len(cluster_part))]
    return f"{prefix}-{cluster_part}-{pool_part}-{group_hash}-{rng.token(LOWER_ALNUM, 4)}"


def stable_hash(*parts) -> int:
    """A number derived from the parts alone: for details (log lines, IDs) that must not draw on the
    simulation's RNG, so reading the cluster never changes what happens next."""
    return int.from_bytes(hashlib.sha256("/".join(map(str, parts)).encode()).digest()[:8], "big")
