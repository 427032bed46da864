"""What every ``kubectl describe`` text is made of: kubectl's PrefixWriter lines aligned by Go's tabwriter, the
Events block, and the container and pod template blocks that Pods, Deployments, ReplicaSets and Jobs share.

Describers write tab-separated lines the way kubectl's PrefixWriter does (two spaces per level, a tab after each
label), and the whole text goes through Go's tabwriter (minwidth 0, padding 2). So a line without a tab
(``Containers:``, ``IPs:``) ends a column block exactly as it does in the real output.
"""

from __future__ import annotations

import hashlib

from . import probes
from .catalog import normalize_image
from .model import Cluster, Pod, ReplicaSet
from .quantity import format_cpu, format_memory
from .tabwriter import tabwrite
from .timefmt import human_duration, rfc1123z

MAX_ANNOTATION_LEN = 140
SA_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"


class Lines:
    """What kubectl's PrefixWriter collects; :meth:`text` aligns it with Go's tabwriter."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def text(self) -> str:
        return tabwrite("\n".join(self.lines), minwidth=0, padding=2)

    def multiline(self, title: str, items: list[str]) -> None:
        """printLabelsMultiline and friends: the first item after ``title:\\t``, the rest after a tab."""
        if not items:
            self.add(f"{title}:\t<none>")
        for i, item in enumerate(items):
            self.add((f"{title}:\t" if i == 0 else "\t") + item)

    def labels(self, title: str, labels: dict[str, str]) -> None:
        self.multiline(title, [f"{k}={labels[k]}" for k in sorted(labels)])

    def annotations(self, title: str, annotations: dict[str, str]) -> None:
        keys = sorted(k for k in annotations if k != "kubectl.kubernetes.io/last-applied-configuration")
        if not keys:
            self.add(f"{title}:\t<none>")
        for i, key in enumerate(keys):
            lead = f"{title}:\t" if i == 0 else "\t"
            value = annotations[key].removesuffix("\n")
            if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
                self.add(f"{lead}{key}:")
                limit = MAX_ANNOTATION_LEN - 2
                self.add(*(f"\t  {s[:limit] + '...' if len(s) > limit else s}" for s in value.split("\n")))
            else:
                self.add(f"{lead}{key}: {value}")

    def tolerations(self, title: str, tolerations: list[dict]) -> None:
        items = []
        for t in sorted(tolerations, key=lambda t: t.get("key") or ""):
            text = (t.get("key") or "") + (f"={t['value']}" if t.get("value") else "")
            text += f":{t['effect']}" if t.get("effect") else ""
            if t.get("operator") == "Exists" and not t.get("value"):
                text += " op=Exists" if t.get("key") or t.get("effect") else "op=Exists"
            if t.get("seconds") is not None:
                text += f" for {t['seconds']}s"
            items.append(text)
        self.multiline(title, items)


def format_labels(labels: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "<none>"


def object_head(w: Lines, obj) -> None:
    """Name, Namespace, Labels and Annotations: how most describers begin."""
    w.add(f"Name:\t{obj.name}", f"Namespace:\t{obj.namespace}")
    w.labels("Labels", obj.labels)
    w.annotations("Annotations", getattr(obj, "annotations", {}))


def labels_of(obj) -> dict[str, str]:
    """The labels a selector is matched against."""
    if isinstance(obj, ReplicaSet):  # a ReplicaSet carries its pod template's labels plus the hash
        return {**obj.template["labels"], "pod-template-hash": obj.template_hash}
    return obj.labels


def sha_hex(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def container_resources(c: dict) -> tuple[dict[str, str], dict[str, str]]:
    """(limits, requests) as kubectl prints them, only the resources that are set."""
    limits = {r: c.get(f"limit_{r}") for r in ("cpu", "memory")}
    requests = {r: c.get(r) for r in ("cpu", "memory")}
    fmt = {"cpu": format_cpu, "memory": format_memory}
    return ({r: fmt[r](v) for r, v in limits.items() if v is not None},
            {r: fmt[r](v) for r, v in requests.items() if v is not None})


def qos_class(containers: list[dict]) -> str:
    limits_and_requests = [container_resources(c) for c in containers]
    if not any(lim or req for lim, req in limits_and_requests):
        return "BestEffort"
    if all(set(lim) == {"cpu", "memory"} and all(req.get(r, v) == v for r, v in lim.items())
           for lim, req in limits_and_requests):
        return "Guaranteed"
    return "Burstable"


def _running(pod: Pod) -> bool:
    return pod.phase == "Running" and not pod.reason and pod.stage in ("running", "stopping")


def _state_lines(pod: Pod, c: dict) -> list[str]:
    """State (and Last State after a restart). Our apps exit with status 1 when they crash; a container
    killed for failing its liveness probe ignores SIGTERM and ends with SIGKILL (137)."""
    liveness = probes.probe(c, "liveness")
    code = "137" if liveness else "1"
    if pod.phase == "Succeeded":
        return ["    State:\tTerminated", "      Reason:\tCompleted", "      Exit Code:\t0",
                f"      Started:\t{rfc1123z(pod.started_at or 0)}",
                f"      Finished:\t{rfc1123z(pod.finished_at or 0)}"]
    if pod.stage == "exited" and pod.reason != "CrashLoopBackOff":  # exited, restart not yet due
        return ["    State:\tTerminated", "      Reason:\tError", f"      Exit Code:\t{code}",
                f"      Started:\t{rfc1123z(pod.started_at or 0)}",
                f"      Finished:\t{rfc1123z(pod.last_restart or 0)}"]
    if _running(pod):
        lines = ["    State:\tRunning", f"      Started:\t{rfc1123z(pod.started_at or 0)}"]
        # The exited container's start is gone from our model: it ran until the crash or the last failed probe.
        ran = probes.CRASH_AFTER_SECONDS if liveness is None else (
            max(liveness["initialDelaySeconds"], 1) + (liveness["failureThreshold"] - 1) * liveness["periodSeconds"])
        previous = max(pod.created, (pod.last_restart or 0) - ran)
    else:
        lines = ["    State:\tWaiting", f"      Reason:\t{pod.reason or 'ContainerCreating'}"]
        previous = pod.started_at or 0  # in CrashLoopBackOff: the container that exited
    if pod.restarts and pod.last_restart is not None:
        lines += ["    Last State:\tTerminated", "      Reason:\tError", f"      Exit Code:\t{code}",
                  f"      Started:\t{rfc1123z(previous)}", f"      Finished:\t{rfc1123z(pod.last_restart)}"]
    return lines


def env_lines(c: dict) -> list[str]:
    """describeContainerEnvFrom and describeContainerEnvVars: where each variable comes from, never a secret."""
    lines = []
    if c.get("envFrom"):
        lines.append("    Environment Variables from:")
        for source in c["envFrom"]:
            ref, kind = ("configMapRef", "ConfigMap") if "configMapRef" in source else ("secretRef", "Secret")
            what = f"{kind} with prefix '{source['prefix']}'" if source.get("prefix") else kind
            lines.append(f"      {source[ref]['name']}\t{what}\tOptional: "
                         f"{str(bool(source[ref].get('optional'))).lower()}")
    if not c.get("env"):
        return [*lines, "    Environment:\t<none>"]
    lines.append("    Environment:")
    for var in c["env"]:
        source = var.get("valueFrom") or {}
        if "secretKeyRef" in source:
            ref = source["secretKeyRef"]
            text = (f"<set to the key '{ref['key']}' in secret '{ref['name']}'>\tOptional: "
                    f"{str(bool(ref.get('optional'))).lower()}")
        elif "configMapKeyRef" in source:
            ref = source["configMapKeyRef"]
            text = (f"<set to the key '{ref['key']}' of config map '{ref['name']}'>\tOptional: "
                    f"{str(bool(ref.get('optional'))).lower()}")
        else:
            text = var.get("value", "")
        lines.append(f"      {var['name']}:\t{text}")
    return lines


class Describer:
    """What a describer reads besides its object: the simulation, its clock and the events to list."""

    def __init__(self, sim, cluster: Cluster, show_events: bool = True) -> None:
        self.sim, self.cluster, self.now, self.show_events = sim, cluster, sim.time, show_events

    def age(self, since: float) -> str:
        return human_duration(self.now - since)

    def events(self, w: Lines, kind: str, name: str, namespace: str | None) -> None:
        """DescribeEvents: oldest last-seen first; repeats as ``<last> (xN over <first>)``."""
        if not self.show_events:
            return
        found = [e for e in self.cluster.events
                 if e.kind == kind and e.name == name and (namespace is None or e.namespace == namespace)]
        if not found:
            w.add("Events:\t<none>")
            return
        w.add("Events:", "  Type\tReason\tAge\tFrom\tMessage", "  ----\t------\t----\t----\t-------")
        for e in sorted(found, key=lambda e: e.last):
            age = self.age(e.first) if e.count <= 1 else f"{self.age(e.last)} (x{e.count} over {self.age(e.first)})"
            w.add(f"  {e.type}\t{e.reason}\t{age}\t{e.source}\t{e.message.strip()}")

    @staticmethod
    def containers_ready(pod: Pod, node) -> bool:
        # A lost node's pods are marked not Ready by the node controller, but nobody is left to update their
        # container statuses: those stay as the kubelet last reported them (running and ready).
        lost = node is not None and (node.down_since is not None or node.ready != "True")
        return pod.ready or (lost and pod.phase == "Running" and not pod.reason and pod.started_at is not None)

    def containers(self, w: Lines, containers: list[dict], pod: Pod | None = None, node=None,
                    volume: str | None = None, template: bool = False) -> None:
        """describeContainers; a pod has container statuses once it is bound to a node."""
        w.add(("  " if template else "") + "Containers:")
        has_status = pod is not None and pod.node is not None
        started = has_status and pod.started_at is not None  # a container exists (or existed) to report
        for c in containers:
            w.add(f"  {' ' if template else ''}{c['name']}:")
            if has_status:
                cid = "containerd://" + sha_hex(f"{pod.uid}/{c['name']}/{pod.restarts}")
                w.add(f"    Container ID:\t{cid if started else ''}")
            w.add(f"    Image:\t{c['image']}")
            if has_status:
                repository, tag = normalize_image(c["image"])
                w.add(f"    Image ID:\t{f'{repository}@sha256:{sha_hex(repository + tag)}' if started else ''}")
            port = c.get("port")
            w.add(f"    Port:\t{port}/TCP" if port else "    Port:\t<none>",
                  "    Host Port:\t0/TCP" if port else "    Host Port:\t<none>")
            if has_status:
                w.add(*_state_lines(pod, c), f"    Ready:\t{self.containers_ready(pod, node) and _running(pod)}",
                      f"    Restart Count:\t{pod.restarts}")
            limits, requests = container_resources(c)
            for title, values in (("Limits", limits), ("Requests", requests)):
                if values:
                    w.add(f"    {title}:", *(f"      {r}:\t{values[r]}" for r in sorted(values)))
            for kind in ("liveness", "readiness"):
                spec = probes.probe(c, kind)
                if spec is not None:
                    w.add(f"    {kind.capitalize()}:\t{probes.describe(spec)}")
            w.add(*env_lines(c))
            w.add(*(["    Mounts:", f"      {SA_MOUNT} from {volume} (ro)"] if volume else ["    Mounts:\t<none>"]))

    def pod_template(self, w: Lines, template: dict, labels: dict[str, str]) -> None:
        """DescribePodTemplate, as a Deployment, ReplicaSet or Job shows it."""
        w.add("Pod Template:")
        w.labels("  Labels", labels)
        if template.get("annotations"):
            w.annotations("  Annotations", template["annotations"])
        self.containers(w, template["containers"], template=True)
        w.add("  Volumes:\t<none>")
        w.labels("  Node-Selectors", template.get("node_selector") or {})
        w.tolerations("  Tolerations", template.get("tolerations") or [])
