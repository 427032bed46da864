"""``kubectl create secret generic NAME --from-literal=K=V`` and ``kubectl create configmap NAME --from-literal=K=V``:
the imperative way to make the Secret a deployment needs without writing its values into a file."""

from __future__ import annotations

import base64

from ..manifests import CONFIG_KEY_RE
from ..naming import uid
from ..objects import ConfigMap, Secret
from .parse import CommandError, Flag, parse_flags
from .resources import namespace_of

FLAGS = [Flag("from-literal"), Flag("type"), Flag("namespace", "n"), Flag("dry-run"), Flag("from-file"),
         Flag("from-env-file")]


def create_config(sim, cluster, what: str, args: list[str]) -> str:
    secret = what == "secret"
    usage = "kubectl create secret generic" if secret else "kubectl create configmap"
    if secret:
        if not args or args[0] not in ("generic", "tls", "docker-registry"):
            raise CommandError("error: Unexpected args: []\nSee 'kubectl create secret -h' for help and examples"
                               if not args else f"error: unknown command \"{args[0]}\" for \"kubectl create secret\"")
        if args[0] != "generic":
            raise CommandError(f"kubectl create secret {args[0]}는 이 시뮬레이터에서 아직 지원하지 않습니다. "
                               "kubectl create secret generic을 써 주세요.")
        args = args[1:]
    literals = [a.split("=", 1)[1] for a in args if a.startswith("--from-literal=")]
    rest, pending = [], False
    for a in args:  # --from-literal may repeat; parse_flags keeps only the last value
        if pending:
            literals.append(a)
            pending = False
        elif a == "--from-literal":
            pending = True
        elif not a.startswith("--from-literal="):
            rest.append(a)
    positional, flags = parse_flags(rest, FLAGS, usage)
    if flags["from-file"] or flags["from-env-file"]:
        raise CommandError("이 콘솔에는 파일 시스템이 없어서 --from-file, --from-env-file은 쓸 수 없습니다. "
                           "--from-literal=KEY=VALUE를 써 주세요.")
    if len(positional) != 1:
        raise CommandError(f"error: exactly one NAME is required, got {len(positional)}\n"
                           f"See '{usage} -h' for help and examples")
    name = positional[0]
    namespace = namespace_of(cluster, flags)
    data: dict[str, str] = {}
    for literal in literals:
        key, eq, value = literal.partition("=")
        if not eq or not key:
            raise CommandError(f"error: invalid literal source {literal}, expected key=value")
        if not CONFIG_KEY_RE.match(key):
            raise CommandError(f'error: "{key}" is not a valid key name for a {"Secret" if secret else "ConfigMap"}: '
                               "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
                               "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
                               "'[-._a-zA-Z0-9]+')")
        if key in data:
            raise CommandError(f'error: cannot add key "{key}", another key by that name already exists in Data for '
                               f'{"Secret" if secret else "ConfigMap"} "{name}"')
        data[key] = base64.b64encode(value.encode()).decode() if secret else value
    store, prefix = (cluster.secrets, "secret") if secret else (cluster.configmaps, "configmap")
    if f"{namespace}/{name}" in store:
        # kubectl's own two spellings: create secret has no colon, create configmap has one.
        shown = f'secret secrets "{name}"' if secret else f'configmap: configmaps "{name}"'
        raise CommandError(f"error: failed to create {shown} already exists")
    dry = flags["dry-run"] or "none"
    if dry == "none":
        common = {"name": name, "namespace": namespace, "created": sim.time, "uid": uid(sim.rng),
                  "data": dict(sorted(data.items()))}
        obj = Secret(**common, type=flags["type"] or "Opaque") if secret else ConfigMap(**common)
        store[obj.key] = obj
    suffix = {"none": "", "client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    return f"{prefix}/{name} created{suffix}"
