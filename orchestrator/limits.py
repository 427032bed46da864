"""Caps that keep one learner from making the server work forever. Benchmarks and tests raise them."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Limits:
    max_clusters: int = 3
    max_nodes_per_cluster: int = 50
    max_pods: int = 1000  # across the whole project, system pods included
    max_command_length: int = 2000
    max_manifest_bytes: int = 64 * 1024  # standard input after the command line (kubectl apply -f -)
    max_advance_seconds: int = 3600  # per advance() call
    # What one command may print: -o yaml of a full sandbox is megabytes, which the console log keeps and
    # every page load re-sends. Longer output is cut with a note (kubectl get ... -o wide of 1,000 pods fits).
    max_output_chars: int = 200_000

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Limits:
        return cls(**data)

    @classmethod
    def unlimited(cls) -> Limits:
        """For benchmarks: room for 10,000 pods on 1,000 nodes and more."""
        return cls(max_clusters=20, max_nodes_per_cluster=5000, max_pods=200_000, max_command_length=100_000,
                   max_manifest_bytes=4 * 2**20,
                   max_advance_seconds=86_400, max_output_chars=10**9)
