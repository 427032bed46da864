"""``-o yaml`` and ``-o json``: our objects printed as the API server would return them."""

from __future__ import annotations

import json

import yaml

from ..manifest_render import to_api


def render(sim, cluster, items: list, fmt: str, single: bool) -> str:
    """``items`` is a list of (Kind, object) pairs in output order. One object named on the command line
    prints alone; anything else prints as a ``kind: List``, as kubectl does."""
    objects = []
    size, budget = 0, sim.limits.max_output_chars
    for kind, obj in items:
        objects.append(to_api(sim, cluster, kind.plural, obj))
        # Stop converting once the printout would be cut anyway (the dispatcher cuts it to the limit):
        # -o yaml of a thousand pods costs seconds. Compact JSON is a cheap, smaller measure of the size.
        size += len(json.dumps(objects[-1]))
        if size > budget:
            break
    if single and len(objects) == 1:
        document = objects[0]
    else:
        document = {"apiVersion": "v1", "items": objects, "kind": "List", "metadata": {"resourceVersion": ""}}
    if fmt == "json":
        return json.dumps(document, indent=4, ensure_ascii=False)
    # kubectl sorts keys and does not indent sequences under their key; PyYAML's defaults do the same.
    # libyaml's emitter prints the same text about four times faster than the pure-Python one.
    return yaml.dump(document, Dumper=_DUMPER, sort_keys=True, default_flow_style=False,
                     allow_unicode=True).rstrip("\n")


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
