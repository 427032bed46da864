"""``kubectl describe pdb``: a PodDisruptionBudget and how many pods it lets an eviction take now."""

from __future__ import annotations

from ..describing import Describer, Lines, format_labels
from ..disruption import budget
from ..model import PodDisruptionBudget


def describe_pdb(ctx: Describer, p: PodDisruptionBudget) -> str:
    w = Lines()
    b = budget(ctx.cluster, p)
    w.add(f"Name:\t{p.name}", f"Namespace:\t{p.namespace}")
    if p.min_available is not None:
        w.add(f"Min available:\t{p.min_available}")
    if p.max_unavailable is not None:
        w.add(f"Max unavailable:\t{p.max_unavailable}")
    w.add(f"Selector:\t{format_labels(p.selector)}", "Status:", f"    Allowed disruptions:\t{b.allowed}",
          f"    Current:\t{b.healthy}", f"    Desired:\t{b.desired}", f"    Total:\t{b.expected}")
    ctx.events(w, "PodDisruptionBudget", p.name, p.namespace)
    return w.text()
