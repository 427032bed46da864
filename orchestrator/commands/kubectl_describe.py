"""``kubectl describe``: kubectl's describers, line for line.

Each describer writes tab-separated lines the way kubectl's PrefixWriter does (two spaces per level, a tab
after each label), and the whole text goes through Go's tabwriter (minwidth 0, padding 2). So a line
without a tab (``Containers:``, ``IPs:``) ends a column block exactly as it does in the real output.
Nodes live in :mod:`.describe_node`.
"""

from __future__ import annotations

import hashlib

from .. import probes
from ..catalog import normalize_image
from ..controllers.deployment import new_replicaset, surge_and_unavailable
from ..controllers.deployment import status as deployment_status
from ..model import Cluster, Deployment, Pod, ReplicaSet
from ..naming import SUFFIX_ALPHABET
from ..quantity import format_cpu, format_memory
from ..tabwriter import tabwrite
from ..timefmt import human_duration, rfc1123z
from .get_extra import EXTRA_SOURCES, extra_objects
from .kubectl_get import format_labels
from .parse import CommandError, Flag, parse_flags
from .resources import Kind, split_targets
from .selectors import parse_selector

FLAGS = [
    Flag("namespace", "n"), Flag("all-namespaces", "A", "bool"), Flag("selector", "l"),
    Flag("show-events", None, "bool", True), Flag("chunk-size", None, "int", 500), Flag("context"),
]
DESCRIBED = ("nodes", "pods", "deployments", "replicasets", "services", "horizontalpodautoscalers", "configmaps",
             "secrets", "poddisruptionbudgets", "jobs", "ingresses")
MISSING_TYPE = ('error: You must specify the type of resource to describe. Use "kubectl api-resources" for a '
                "complete list of supported resources.")
MAX_ANNOTATION_LEN = 140
SA_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"
PROJECTED = "Projected (a volume that contains injected data from multiple sources)"
PROGRESSING_TRUE = ("NewReplicaSetCreated", "FoundNewReplicaSet", "ReplicaSetUpdated", "NewReplicaSetAvailable")


def describe(sim, cluster: Cluster, args: list[str]) -> str:
    positional, flags = parse_flags(args, FLAGS, "kubectl describe")
    if not positional:
        raise CommandError(MISSING_TYPE)
    targets = split_targets(positional)
    for kind, _ in targets:
        if kind.plural not in DESCRIBED:
            raise CommandError(f"kubectl describe {kind.plural}는 이 시뮬레이터에서 아직 지원하지 않습니다. "
                               "node, pod, deployment, replicaset, service, hpa, configmap, secret, pdb, job, "
                               "ingress를 describe할 수 있습니다.")
    namespace = flags["namespace"] or "default"
    every_ns = bool(flags["all-namespaces"])
    if any(name is not None for _, name in targets):
        if flags["selector"]:
            raise CommandError("error: name cannot be provided when a selector is specified")
        if every_ns:
            raise CommandError("error: a resource cannot be retrieved by name across all namespaces")
    matcher = parse_selector(flags["selector"])
    ctx = Describer(sim, cluster, bool(flags["show-events"]))
    texts, errors = [], []
    for kind, name in targets:
        objects = _objects(cluster, kind, namespace, every_ns)
        if name is None:
            texts += [ctx.describe(kind, o) for o in objects if matcher(labels_of(o))]
            continue
        found = [o for o in objects if o.name == name]
        if not found:
            errors.append(kind.not_found(name).text)
        texts += [ctx.describe(kind, o) for o in found]
    if errors and len(positional) == 2:
        # kubectl's describeMatchingResources: `describe pod web` shows every pod whose name starts with
        # "web" (one blank line between them); with no match, only the original NotFound error.
        matched = []
        if "/" not in positional[0]:
            kind, prefix = targets[0]
            matched = [o for o in _objects(cluster, kind, namespace, False) if o.name.startswith(prefix)]
        if not matched:
            raise CommandError(errors[0])
        return "\n\n".join(ctx.describe(kind, o) for o in matched)
    text = "\n\n\n".join(texts)  # kubectl prints "\n\n" between descriptions that each end in "\n"
    if errors:
        raise CommandError("\n".join(filter(None, [text, *errors])))
    if not texts:
        return "No resources found" if every_ns else f"No resources found in {namespace} namespace."
    return text


def _objects(cluster: Cluster, kind: Kind, namespace: str, every_ns: bool) -> list:
    if kind.plural == "nodes":
        return sorted(cluster.nodes.values(), key=lambda n: n.name)
    if kind.plural in EXTRA_SOURCES:
        return extra_objects(cluster, kind.plural, namespace, every_ns)
    source = {"pods": cluster.pods, "deployments": cluster.deployments, "replicasets": cluster.replicasets,
              "services": cluster.services, "horizontalpodautoscalers": cluster.hpas}
    objects = [o for o in source[kind.plural].values() if every_ns or o.namespace == namespace]
    return sorted(objects, key=lambda o: (o.namespace, o.name))


def labels_of(obj) -> dict[str, str]:
    if isinstance(obj, ReplicaSet):  # a ReplicaSet carries its pod template's labels plus the hash
        return {**obj.template["labels"], "pod-template-hash": obj.template_hash}
    return obj.labels


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


class Describer:
    def __init__(self, sim, cluster: Cluster, show_events: bool = True) -> None:
        self.sim, self.cluster, self.now, self.show_events = sim, cluster, sim.time, show_events

    def describe(self, kind: Kind, obj) -> str:
        if kind.plural == "nodes":
            from .describe_node import describe_node

            return describe_node(self, obj)
        if kind.plural == "services":
            from .describe_more import describe_service

            return describe_service(self.sim, self.cluster, obj, self.show_events)
        if kind.plural == "horizontalpodautoscalers":
            from .describe_more import describe_hpa

            return describe_hpa(self.sim, self.cluster, obj, self.show_events)
        if kind.plural in EXTRA_SOURCES:
            from .describe_extra import describe_extra

            return describe_extra(self, kind.plural, obj)
        return getattr(self, f"_{kind.plural}")(obj)

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

    # --- pods ---------------------------------------------------------------------------------------

    def _pods(self, pod: Pod) -> str:
        w = Lines()
        node = self.cluster.nodes.get(pod.node) if pod.node else None
        system = pod.namespace == "kube-system" and pod.owner_kind in ("DaemonSet", "Node")
        static = pod.owner_kind == "Node"
        w.add(f"Name:\t{pod.name}", f"Namespace:\t{pod.namespace}")
        if system:
            w.add("Priority:\t2000001000", "Priority Class Name:\tsystem-node-critical")
        else:
            w.add("Priority:\t0")
        if not static:
            w.add(f"Service Account:\t{pod.owner if system else 'default'}")
        w.add(f"Node:\t{pod.node}/{node.internal_ip if node else ''}" if pod.node else "Node:\t<none>")
        if pod.node and pod.scheduled_at is not None:
            w.add(f"Start Time:\t{rfc1123z(pod.scheduled_at)}")
        w.labels("Labels", pod.labels)
        rs = self.cluster.replicasets.get(f"{pod.namespace}/{pod.owner}") if pod.owner_kind == "ReplicaSet" else None
        w.annotations("Annotations", dict(rs.template.get("annotations") or {}) if rs else {})
        if pod.terminating and pod.phase not in ("Succeeded", "Failed"):
            # The deletionTimestamp is the request time plus the grace period, so kubectl shows
            # "<invalid>" while the grace period runs and a growing age once it has passed.
            w.add(f"Status:\tTerminating (lasts {self.age(pod.deleting_at + pod.grace)})",
                  f"Termination Grace Period:\t{pod.grace}s")
        else:
            w.add(f"Status:\t{pod.phase}")
        w.add(f"IP:\t{pod.ip or ''}")
        w.add(*(["IPs:", f"  IP:\t{pod.ip}"] if pod.ip else ["IPs:\t<none>"]))
        if pod.owner_kind:
            w.add(f"Controlled By:\t{pod.owner_kind}/{pod.owner}")
        volume = None if static else "kube-api-access-" + "".join(
            SUFFIX_ALPHABET[b % len(SUFFIX_ALPHABET)] for b in hashlib.sha256(pod.uid.encode()).digest()[:5])
        self._containers(w, pod.containers, pod=pod, node=node, volume=volume)
        w.add("Conditions:", "  Type\tStatus")
        if pod.node is None:
            w.add("  PodScheduled \tFalse ")
        else:
            sandbox = pod.ip is not None or pod.stage not in ("",)
            ready = self._containers_ready(pod, node)
            for cond, value in (("PodReadyToStartContainers", sandbox), ("Initialized", True),
                                ("Ready", pod.ready), ("ContainersReady", ready), ("PodScheduled", True)):
                w.add(f"  {cond} \t{value} ")
        if volume:
            w.add("Volumes:", f"  {volume}:", f"    Type:\t{PROJECTED}", "    TokenExpirationSeconds:\t3607",
                  "    ConfigMapName:\tkube-root-ca.crt", "    ConfigMapOptional:\t<nil>", "    DownwardAPI:\ttrue")
        else:
            w.add("Volumes:\t<none>")
        w.add(f"QoS Class:\t{qos_class(pod.containers)}")
        w.labels("Node-Selectors", pod.node_selector)
        w.tolerations("Tolerations", pod.tolerations)
        self.events(w, "Pod", pod.name, pod.namespace)
        return w.text()

    @staticmethod
    def _containers_ready(pod: Pod, node) -> bool:
        # A lost node's pods are marked not Ready by the node controller, but nobody is left to update their
        # container statuses: those stay as the kubelet last reported them (running and ready).
        lost = node is not None and (node.down_since is not None or node.ready != "True")
        return pod.ready or (lost and pod.phase == "Running" and not pod.reason and pod.started_at is not None)

    def _containers(self, w: Lines, containers: list[dict], pod: Pod | None = None, node=None,
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
                w.add(*_state_lines(pod, c), f"    Ready:\t{self._containers_ready(pod, node) and _running(pod)}",
                      f"    Restart Count:\t{pod.restarts}")
            limits, requests = container_resources(c)
            for title, values in (("Limits", limits), ("Requests", requests)):
                if values:
                    w.add(f"    {title}:", *(f"      {r}:\t{values[r]}" for r in sorted(values)))
            for kind in ("liveness", "readiness"):
                spec = probes.probe(c, kind)
                if spec is not None:
                    w.add(f"    {kind.capitalize()}:\t{probes.describe(spec)}")
            from .describe_extra import env_lines

            w.add(*env_lines(c))
            w.add(*(["    Mounts:", f"      {SA_MOUNT} from {volume} (ro)"] if volume else ["    Mounts:\t<none>"]))

    def _pod_template(self, w: Lines, template: dict, labels: dict[str, str]) -> None:
        """DescribePodTemplate, as a Deployment or ReplicaSet shows it."""
        w.add("Pod Template:")
        w.labels("  Labels", labels)
        if template.get("annotations"):
            w.annotations("  Annotations", template["annotations"])
        self._containers(w, template["containers"], template=True)
        w.add("  Volumes:\t<none>")
        w.labels("  Node-Selectors", template.get("node_selector") or {})
        w.tolerations("  Tolerations", template.get("tolerations") or [])

    # --- deployments and replicasets ----------------------------------------------------------------

    def _deployments(self, d: Deployment) -> str:
        w = Lines()
        s = deployment_status(self.cluster, d)
        new = new_replicaset(self.cluster, d)
        owned = sorted(self.cluster.replicasets_of(d), key=lambda rs: (rs.created, rs.name))
        _, max_unavailable = surge_and_unavailable(d)
        unavailable = max(0, sum(rs.replicas for rs in owned) - s["available"])
        w.add(f"Name:\t{d.name}", f"Namespace:\t{d.namespace}", f"CreationTimestamp:\t{rfc1123z(d.created)}")
        w.labels("Labels", d.labels)
        revision = {"deployment.kubernetes.io/revision": str(new.revision)} if new else {}
        w.annotations("Annotations", {**d.annotations, **revision})
        w.add(f"Selector:\t{format_labels(d.selector)}",
              f"Replicas:\t{d.replicas} desired | {s['updated']} updated | {s['replicas']} total | "
              f"{s['available']} available | {unavailable} unavailable",
              f"StrategyType:\t{d.strategy}", "MinReadySeconds:\t0")
        if d.strategy == "RollingUpdate":
            w.add(f"RollingUpdateStrategy:\t{d.max_unavailable} max unavailable, {d.max_surge} max surge")
        self._pod_template(w, d.template, d.template["labels"])
        if s["available"] >= d.replicas - max_unavailable:
            available = ("True", "MinimumReplicasAvailable")
        else:
            available = ("False", "MinimumReplicasUnavailable")
        if d.paused:
            progressing = ("Unknown", "DeploymentPaused")
        else:
            progressing = ("True" if d.progress_reason in PROGRESSING_TRUE else "False", d.progress_reason)
        w.add("Conditions:", "  Type\tStatus\tReason", "  ----\t------\t------",
              f"  Available \t{available[0]}\t{available[1]}", f"  Progressing \t{progressing[0]}\t{progressing[1]}")
        old = [rs for rs in owned if rs is not new and rs.replicas != 0]
        w.add(f"OldReplicaSets:\t{self._rs_list(old)}", f"NewReplicaSet:\t{self._rs_list([new] if new else [])}")
        self.events(w, "Deployment", d.name, d.namespace)
        return w.text()

    def _rs_list(self, sets: list[ReplicaSet]) -> str:
        items = [f"{rs.name} ({self._active(rs)}/{rs.replicas} replicas created)" for rs in sets]
        return ", ".join(items) or "<none>"

    def _active(self, rs: ReplicaSet) -> int:
        return sum(1 for p in self.cluster.pods_of_rs(rs) if not p.terminating)

    def _replicasets(self, rs: ReplicaSet) -> str:
        w = Lines()
        d = self.cluster.deployments.get(f"{rs.namespace}/{rs.deployment}")
        labels = labels_of(rs)
        w.add(f"Name:\t{rs.name}", f"Namespace:\t{rs.namespace}", f"Selector:\t{format_labels(rs.selector)}")
        w.labels("Labels", labels)
        annotations = {"deployment.kubernetes.io/revision": str(rs.revision)}
        if d is not None:
            annotations["deployment.kubernetes.io/desired-replicas"] = str(d.replicas)
            annotations["deployment.kubernetes.io/max-replicas"] = str(d.replicas + surge_and_unavailable(d)[0])
        if rs.change_cause:
            annotations["kubernetes.io/change-cause"] = rs.change_cause
        w.annotations("Annotations", annotations)
        if d is not None:
            w.add(f"Controlled By:\tDeployment/{rs.deployment}")
        pods = self.cluster.pods_of_rs(rs)
        running = sum(1 for p in pods if p.phase == "Running")
        waiting = sum(1 for p in pods if p.phase == "Pending")
        w.add(f"Replicas:\t{self._active(rs)} current / {rs.replicas} desired",
              f"Pods Status:\t{running} Running / {waiting} Waiting / 0 Succeeded / 0 Failed")
        self._pod_template(w, rs.template, labels)
        self.events(w, "ReplicaSet", rs.name, rs.namespace)
        return w.text()
