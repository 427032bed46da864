"""Kubernetes manifests (YAML or JSON) into the engine's objects, checked the way the API server checks them.

:func:`load` turns standard input into documents (refusing YAML bombs before anything is built);
:func:`parse` turns one document into a :class:`Manifest` whose ``spec`` holds engine-shaped values
(a Deployment's ``template`` is the same dict ``kubectl create deployment`` makes). Messages are
kubectl's own where kubectl has one; our own limits speak Korean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from . import probes
from .quantity import QuantityError, format_cpu, format_memory, parse_cpu, parse_memory

MAX_DOCUMENTS = 20
MAX_NODES = 10_000  # YAML nodes after alias expansion, across all documents
MAX_DEPTH = 64  # no Kubernetes object nests this deep; a cycle of aliases would
NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
SUPPORTED = {"Deployment": ("apps/v1",), "Service": ("v1",), "Pod": ("v1",), "Namespace": ("v1",),
             "HorizontalPodAutoscaler": ("autoscaling/v2", "autoscaling/v1")}
# Real kinds we do not simulate: a Korean answer instead of "no matches for kind".
UNSIMULATED = {
    "ConfigMap", "Secret", "StatefulSet", "DaemonSet", "Job", "CronJob", "Ingress", "IngressClass",
    "PersistentVolumeClaim", "PersistentVolume", "ServiceAccount", "StorageClass", "NetworkPolicy",
    "PodDisruptionBudget", "LimitRange", "ResourceQuota", "Role", "RoleBinding", "ClusterRole",
    "ClusterRoleBinding", "CustomResourceDefinition", "ReplicaSet", "ReplicationController", "Endpoints",
    "EndpointSlice", "Gateway", "HTTPRoute", "PriorityClass", "Lease", "Node", "Event", "VerticalPodAutoscaler",
    "BackendConfig", "ManagedCertificate", "FrontendConfig",
}
_GO_YAML = {"mapping values are not allowed here": "mapping values are not allowed in this context",
            "found character '\\t' that cannot start any token": "found character that cannot start any token"}


class ManifestError(ValueError):
    """A manifest that cannot be applied; ``text`` is what kubectl would print."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass
class Manifest:
    """One object from a manifest: metadata, and ``spec`` holding only the fields it gave, engine-shaped."""

    kind: str
    version: str  # the apiVersion's version part: "v1", "v2"
    name: str
    namespace: str | None
    labels: dict | None = None
    annotations: dict | None = None
    spec: dict = field(default_factory=dict)


# --- loading --------------------------------------------------------------------------------------------


def load(text: str) -> list[dict]:
    """Standard input -> object documents (``kind: List`` unwrapped, empty documents skipped)."""
    try:
        nodes = [n for n in yaml.compose_all(text, Loader=yaml.SafeLoader) if n is not None]
        budget = [MAX_NODES]
        for node in nodes:
            _count(node, {}, 0, budget)
        documents = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = _GO_YAML.get(exc.problem or "", exc.problem or "syntax error")
        where = f"line {mark.line + 1}: " if mark else ""
        raise ManifestError("error: error parsing STDIN: error converting YAML to JSON: yaml: "
                            f"{where}{problem}") from None
    except yaml.YAMLError as exc:
        raise ManifestError(f"error: error parsing STDIN: error converting YAML to JSON: yaml: {exc}") from None
    except RecursionError:
        raise ManifestError(TOO_BIG) from None
    objects: list = []
    for doc in documents:
        if isinstance(doc, dict) and doc.get("kind") == "List" and isinstance(doc.get("items"), list):
            objects.extend(doc["items"])
        else:
            objects.append(doc)
    if len(objects) > MAX_DOCUMENTS:
        raise ManifestError(f"한 번에 적용할 수 있는 오브젝트는 최대 {MAX_DOCUMENTS}개입니다 (받은 개수: "
                            f"{len(objects)}개). 매니페스트를 나눠서 적용해 주세요.")
    for doc in objects:
        if not isinstance(doc, dict):
            kind = "array" if isinstance(doc, list) else "string" if isinstance(doc, str) else "number"
            raise ManifestError(f'error: error validating "STDIN": error validating data: invalid object to '
                                f"validate: json: cannot unmarshal {kind} into Go value of type "
                                "map[string]interface {}")
    return objects


TOO_BIG = (f"매니페스트가 너무 큽니다: 별칭(&, *)을 펼치면 노드가 {MAX_NODES:,}개를 넘거나 {MAX_DEPTH}단계보다 "
           "깊게 중첩됩니다. 별칭을 줄이거나 매니페스트를 나눠 주세요.")


def _count(node, memo: dict, depth: int, budget: list[int]) -> int:
    """Nodes under ``node`` with aliases expanded, memoised so a billion laughs costs only its real size."""
    if depth > MAX_DEPTH:
        raise ManifestError(TOO_BIG)
    if id(node) in memo:
        size = memo[id(node)]
    else:
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(_count(child, memo, depth + 1, budget) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(_count(k, memo, depth + 1, budget) + _count(v, memo, depth + 1, budget)
                        for k, v in node.value)
        memo[id(node)] = size
    if depth == 0:
        budget[0] -= size
        if budget[0] < 0:
            raise ManifestError(TOO_BIG)
    elif size > MAX_NODES:
        raise ManifestError(TOO_BIG)
    return size


def check_types(doc: dict) -> tuple[str, str]:
    """kubectl's client-side check (apiVersion, kind) and whether we simulate the kind: (kind, version)."""
    missing = [f"{key} not set" for key in ("apiVersion", "kind") if not doc.get(key)]
    if missing:
        raise ManifestError(f'error: error validating "STDIN": error validating data: [{", ".join(missing)}]; if '
                            "you choose to ignore these errors, turn validation off with --validate=false")
    api_version, kind = str(doc["apiVersion"]), str(doc["kind"])
    if kind in UNSIMULATED:
        raise ManifestError(f"{kind} 리소스는 이 시뮬레이터에서 아직 지원하지 않습니다. 매니페스트로는 Deployment, "
                            "Service, HorizontalPodAutoscaler, Pod, Namespace를 적용할 수 있습니다.")
    if api_version not in SUPPORTED.get(kind, ()):
        name = (doc.get("metadata") or {}).get("name", "") if isinstance(doc.get("metadata"), dict) else ""
        raise ManifestError(f'error: resource mapping not found for name: "{name}" namespace: "" from "STDIN": '
                            f'no matches for kind "{kind}" in version "{api_version}"\n'
                            "ensure CRDs are installed first")
    return kind, api_version.rpartition("/")[2]


def identify(doc: dict) -> tuple[str, str | None]:
    """(name, namespace) from metadata, before the object is checked in detail."""
    meta = doc.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    name, namespace = meta.get("name"), meta.get("namespace")
    return (name if isinstance(name, str) else ""), (namespace if isinstance(namespace, str) and namespace
                                                     else None)


# --- field checks ------------------------------------------------------------------------------------


class Reader:
    """Reads fields of one document, failing with the API server's words for that object."""

    def __init__(self, kind: str, version: str, name: str, action: str) -> None:
        self.kind, self.version, self.name, self.action = kind, version, name, action

    def invalid(self, path: str, detail: str) -> ManifestError:
        return ManifestError(f'The {self.kind} "{self.name}" is invalid: {path}: {detail}')

    def bad_request(self, detail: str) -> ManifestError:
        return ManifestError(f'Error from server (BadRequest): error when {self.action} "STDIN": {self.kind} in '
                             f'version "{self.version}" cannot be handled as a {self.kind}: {detail}')

    def unsupported(self, path: str) -> ManifestError:
        return ManifestError(f"{path} 필드는 이 시뮬레이터에서 아직 지원하지 않습니다. 이 필드를 빼고 다시 "
                             "적용해 주세요.")

    def _type(self, value, struct: str, path: str, go_type: str) -> ManifestError:
        got = ("bool" if isinstance(value, bool) else "number" if isinstance(value, int | float)
               else "string" if isinstance(value, str) else "array" if isinstance(value, list) else "object")
        return self.bad_request(f"json: cannot unmarshal {got} into Go struct field {struct}."
                                f"{path.lstrip('.')} of type {go_type}")

    def items(self, obj: dict, key: str, struct: str, path: str, go_type: str) -> list[dict]:
        """A list of objects (containers, ports, tolerations...)."""
        value = self.list(obj, key, struct, path, go_type)
        for item in value:
            if not isinstance(item, dict):
                raise self._type(item, struct, f"{path}.{key}", go_type)
        return value

    def int(self, obj: dict, key: str, struct: str, path: str):
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._type(value, struct, f"{path}.{key}", "int32")
        if not -(2**31) <= value < 2**31:
            raise self.bad_request(f"json: cannot unmarshal number {value} into Go struct field {struct}."
                                   f"{path}.{key} of type int32")
        return value

    def str(self, obj: dict, key: str, struct: str, path: str):
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._type(value, struct, f"{path}.{key}", "string")
        return value

    def bool(self, obj: dict, key: str, struct: str, path: str):
        value = obj.get(key)
        if value is not None and not isinstance(value, bool):
            raise self._type(value, struct, f"{path}.{key}", "bool")
        return value

    def int_or_str(self, obj: dict, key: str, struct: str, path: str):
        value = obj.get(key)
        if value is None or (isinstance(value, int | str) and not isinstance(value, bool)):
            return value
        raise self._type(value, struct, f"{path}.{key}", "intstr.IntOrString")

    def dict(self, obj: dict, key: str, struct: str, path: str, go_type: str) -> dict:
        value = obj.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self._type(value, struct, f"{path}.{key}", go_type)
        return value

    def list(self, obj: dict, key: str, struct: str, path: str, go_type: str) -> list:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._type(value, struct, f"{path}.{key}", f"[]{go_type}")
        return value

    def strmap(self, obj: dict, key: str, struct: str, path: str) -> dict | None:
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self._type(value, struct, f"{path}.{key}", "map[string]string")
        for v in value.values():
            if not isinstance(v, str):
                raise self._type(v, struct, f"{path}.{key}", "string")
        return {str(k): v for k, v in value.items()}


# The fields we read; ANY fields are accepted as they are (several only as kubectl prints them back),
# NO fields are real Kubernetes fields the simulator does not model, anything else is unknown.
ANY, NO = "any", "no"
META = dict.fromkeys(("name", "namespace", "labels", "annotations", "uid", "resourceVersion", "generation",
                      "creationTimestamp", "managedFields", "selfLink", "ownerReferences", "finalizers",
                      "generateName", "deletionTimestamp", "deletionGracePeriodSeconds"), ANY)
PROBE = {"httpGet": {"path": ANY, "port": ANY, "scheme": ANY, "host": NO, "httpHeaders": NO},
         "tcpSocket": {"port": ANY, "host": NO}, "exec": {"command": ANY}, "grpc": NO,
         **dict.fromkeys(("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold",
                          "failureThreshold"), ANY), "terminationGracePeriodSeconds": NO}
CONTAINER = {
    "name": ANY, "image": ANY, "command": ANY, "args": ANY, "workingDir": ANY,
    "env": [{"name": ANY, "value": ANY, "valueFrom": NO}],
    "ports": [{"containerPort": ANY, "name": ANY, "protocol": ANY, "hostPort": NO, "hostIP": NO}],
    "resources": {"requests": ANY, "limits": ANY, "claims": NO}, "livenessProbe": PROBE, "readinessProbe": PROBE,
    "imagePullPolicy": ANY, "terminationMessagePath": ANY, "terminationMessagePolicy": ANY,
    **dict.fromkeys(("startupProbe", "envFrom", "volumeMounts", "volumeDevices", "securityContext", "lifecycle",
                     "stdin", "stdinOnce", "tty", "resizePolicy", "restartPolicy"), NO),
}
POD_SPEC = {
    "containers": [CONTAINER], "nodeSelector": ANY, "nodeName": ANY,
    "tolerations": [dict.fromkeys(("key", "operator", "value", "effect", "tolerationSeconds"), ANY)],
    **dict.fromkeys(("restartPolicy", "dnsPolicy", "schedulerName", "securityContext", "serviceAccountName",
                     "serviceAccount", "terminationGracePeriodSeconds", "enableServiceLinks", "preemptionPolicy",
                     "priority"), ANY),
    **dict.fromkeys(("initContainers", "volumes", "affinity", "topologySpreadConstraints", "hostNetwork",
                     "hostPID", "hostIPC", "imagePullSecrets", "priorityClassName", "runtimeClassName",
                     "hostname", "subdomain", "hostAliases", "dnsConfig", "readinessGates", "overhead",
                     "ephemeralContainers", "automountServiceAccountToken", "activeDeadlineSeconds",
                     "shareProcessNamespace", "os", "schedulingGates", "resourceClaims"), NO),
}
TOP = {"apiVersion": ANY, "kind": ANY, "metadata": META, "status": ANY}
SCHEMAS = {
    "Deployment": {**TOP, "spec": {
        "replicas": ANY, "selector": {"matchLabels": ANY, "matchExpressions": NO},
        "template": {"metadata": META, "spec": POD_SPEC},
        "strategy": {"type": ANY, "rollingUpdate": {"maxSurge": ANY, "maxUnavailable": ANY}},
        "revisionHistoryLimit": ANY, "progressDeadlineSeconds": ANY, "minReadySeconds": ANY, "paused": ANY}},
    "Service": {**TOP, "spec": {
        "type": ANY, "selector": ANY,
        "ports": [{"name": ANY, "port": ANY, "targetPort": ANY, "protocol": ANY, "nodePort": ANY,
                   "appProtocol": ANY}],
        **dict.fromkeys(("clusterIP", "clusterIPs", "sessionAffinity", "internalTrafficPolicy",
                         "externalTrafficPolicy", "ipFamilies", "ipFamilyPolicy", "allocateLoadBalancerNodePorts"),
                        ANY),
        **dict.fromkeys(("loadBalancerIP", "externalIPs", "externalName", "loadBalancerSourceRanges",
                         "sessionAffinityConfig", "healthCheckNodePort", "loadBalancerClass",
                         "publishNotReadyAddresses", "trafficDistribution"), NO)}},
    "Pod": {**TOP, "spec": POD_SPEC},
    "Namespace": {**TOP, "spec": {"finalizers": ANY}},
    "HorizontalPodAutoscaler/v2": {**TOP, "spec": {
        "scaleTargetRef": {"apiVersion": ANY, "kind": ANY, "name": ANY}, "minReplicas": ANY, "maxReplicas": ANY,
        "metrics": [{"type": ANY, "resource": {"name": ANY, "target": {
            "type": ANY, "averageUtilization": ANY, "averageValue": NO, "value": NO}},
            **dict.fromkeys(("pods", "object", "external", "containerResource"), NO)}],
        "behavior": NO}},
    "HorizontalPodAutoscaler/v1": {**TOP, "spec": {
        "scaleTargetRef": {"apiVersion": ANY, "kind": ANY, "name": ANY}, "minReplicas": ANY, "maxReplicas": ANY,
        "targetCPUUtilizationPercentage": ANY}},
}


def check_fields(reader: Reader, doc: dict) -> None:
    """Strict decoding: an unknown field fails, as with kubectl's default ``--validate=strict``."""
    schema = SCHEMAS.get(reader.kind) or SCHEMAS[f"{reader.kind}/{reader.version}"]
    unknown: list[str] = []
    unsupported: list[str] = []
    _walk(doc, schema, "", unknown, unsupported)
    if unknown:
        raise reader.bad_request("strict decoding error: " + ", ".join(f'unknown field "{p}"' for p in unknown))
    if unsupported:
        raise reader.unsupported(unsupported[0])


def _walk(value, schema, path: str, unknown: list, unsupported: list) -> None:
    if schema is ANY:
        return
    if schema is NO:
        unsupported.append(path)
        return
    if isinstance(schema, list):
        for i, item in enumerate(value if isinstance(value, list) else []):
            _walk(item, schema[0], f"{path}[{i}]", unknown, unsupported)
        return
    if isinstance(value, dict):
        for key, sub in value.items():
            where = f"{path}.{key}" if path else str(key)
            if key in schema:
                _walk(sub, schema[key], where, unknown, unsupported)
            else:
                unknown.append(where)


def check_name(reader: Reader, name: str, label: bool = False) -> None:
    if not name:
        raise ManifestError("error: error when retrieving current configuration of:\n"
                            f'Resource: "{reader.kind}", Name: "", Namespace: ""\n'
                            'from server for: "STDIN": resource name may not be empty')
    if len(name) > 63 or not NAME_RE.match(name):
        what = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                "start and end with an alphanumeric character") if label else (
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                "and must start and end with an alphanumeric character")
        raise reader.invalid("metadata.name", f'Invalid value: "{name}": {what}')


def go_map(labels: dict) -> str:
    """Go's ``%#v`` of a map[string]string, as validation messages print it."""
    return "map[string]string{" + ", ".join(f'"{k}":"{v}"' for k, v in sorted(labels.items())) + "}"


def quantity(reader: Reader, value, resource: str) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise reader.bad_request("quantities must match the regular expression "
                                 "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    try:
        return parse_cpu(value) if resource == "cpu" else parse_memory(value)
    except QuantityError as exc:
        raise reader.bad_request(str(exc)) from None


# --- objects -------------------------------------------------------------------------------------------


def parse(doc: dict, kind: str, version: str, action: str = "creating") -> Manifest:
    """One checked document -> :class:`Manifest`. ``action`` words server errors ("creating", "patching")."""
    name, namespace = identify(doc)
    reader = Reader(kind, version, name, action)
    check_name(reader, name, label=kind in ("Namespace", "Service"))
    check_fields(reader, doc)
    meta = reader.dict(doc, "metadata", kind, "", "v1.ObjectMeta")
    labels = reader.strmap(meta, "labels", "ObjectMeta", "metadata")
    annotations = reader.strmap(meta, "annotations", "ObjectMeta", "metadata")
    manifest = Manifest(kind, version, name, namespace if kind != "Namespace" else None, labels, annotations)
    spec = reader.dict(doc, "spec", kind, "", f"v1.{kind}Spec")
    if kind == "Deployment":
        manifest.spec = _deployment(reader, spec)
    elif kind == "Service":
        manifest.spec = _service(reader, spec)
    elif kind == "HorizontalPodAutoscaler":
        manifest.spec = _hpa(reader, spec)
    elif kind == "Pod":
        manifest.spec = pod_spec(reader, spec, "spec", pod=True)
    return manifest


def _deployment(r: Reader, spec: dict) -> dict:
    out: dict = {}
    replicas = r.int(spec, "replicas", "DeploymentSpec", "spec")
    if replicas is not None:
        if replicas < 0:
            raise r.invalid("spec.replicas", f"Invalid value: {replicas}: must be greater than or equal to 0")
        out["replicas"] = replicas
    if spec.get("selector") is None:
        raise r.invalid("spec.selector", "Required value")
    selector = r.dict(spec, "selector", "DeploymentSpec", "spec", "v1.LabelSelector")
    match = r.strmap(selector, "matchLabels", "LabelSelector", "spec.selector") or {}
    if not match:
        raise r.invalid("spec.selector", "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
                        "deployment")
    template_doc = r.dict(spec, "template", "DeploymentSpec", "spec", "v1.PodTemplateSpec")
    tmeta = r.dict(template_doc, "metadata", "PodTemplateSpec", "spec.template", "v1.ObjectMeta")
    tlabels = r.strmap(tmeta, "labels", "ObjectMeta", "spec.template.metadata") or {}
    if any(tlabels.get(k) != v for k, v in match.items()):
        raise r.invalid("spec.template.metadata.labels", f"Invalid value: {go_map(tlabels)}: `selector` does not "
                        "match template `labels`")
    tspec = r.dict(template_doc, "spec", "PodTemplateSpec", "spec.template", "v1.PodSpec")
    template = {"labels": tlabels, **pod_spec(r, tspec, "spec.template.spec", pod=False)}
    tannotations = r.strmap(tmeta, "annotations", "ObjectMeta", "spec.template.metadata")
    if tannotations:
        template["annotations"] = tannotations
    out["selector"], out["template"] = match, template
    _strategy(r, spec, out)
    for key, target in (("revisionHistoryLimit", "revision_history_limit"),
                        ("progressDeadlineSeconds", "progress_deadline"), ("minReadySeconds", "min_ready")):
        value = r.int(spec, key, "DeploymentSpec", "spec")
        if value is None:
            continue
        if value < 0:
            raise r.invalid(f"spec.{key}", f"Invalid value: {value}: must be greater than or equal to 0")
        if key == "progressDeadlineSeconds" and value == 0:
            raise r.invalid("spec.progressDeadlineSeconds", "Invalid value: 0: must be greater than minReadySeconds")
        if key == "minReadySeconds" and value:
            raise r.unsupported("spec.minReadySeconds")
        out[target] = value
    out.pop("min_ready", None)
    paused = r.bool(spec, "paused", "DeploymentSpec", "spec")
    if paused is not None:
        out["paused"] = paused
    return out


_PERCENT = re.compile(r"^[0-9]+%$")


def _strategy(r: Reader, spec: dict, out: dict) -> None:
    if spec.get("strategy") is None:
        return
    strategy = r.dict(spec, "strategy", "DeploymentSpec", "spec", "v1.DeploymentStrategy")
    type_ = r.str(strategy, "type", "DeploymentStrategy", "spec.strategy") or "RollingUpdate"
    if type_ not in ("RollingUpdate", "Recreate"):
        raise r.invalid("spec.strategy.type", f'Unsupported value: "{type_}": supported values: "Recreate", '
                        '"RollingUpdate"')
    rolling = r.dict(strategy, "rollingUpdate", "DeploymentStrategy", "spec.strategy", "v1.RollingUpdateDeployment")
    out["strategy"] = type_
    if type_ == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            raise r.invalid("spec.strategy.rollingUpdate", "Forbidden: may not be specified when strategy `type` is "
                            "'Recreate'")
        return
    values = {}
    for key in ("maxSurge", "maxUnavailable"):
        value = r.int_or_str(rolling, key, "RollingUpdateDeployment", "spec.strategy.rollingUpdate")
        value = "25%" if value is None else value
        at = f"spec.strategy.rollingUpdate.{key}"
        if isinstance(value, str) and not _PERCENT.match(value):
            raise r.invalid(at, f'Invalid value: "{value}": a valid percent string must be a numeric string '
                            "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is "
                            "'[0-9]+%')")
        if isinstance(value, int) and value < 0:
            raise r.invalid(at, f"Invalid value: {value}: must be greater than or equal to 0")
        if key == "maxUnavailable" and isinstance(value, str) and int(value[:-1]) > 100:
            raise r.invalid(at, f'Invalid value: "{value}": must not be greater than 100%')
        values[key] = value
    if all(v in (0, "0%") for v in values.values()):
        raise r.invalid("spec.strategy.rollingUpdate.maxUnavailable", "Invalid value: intstr.IntOrString{Type:0, "
                        'IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0')
    out["max_surge"], out["max_unavailable"] = values["maxSurge"], values["maxUnavailable"]


def pod_spec(r: Reader, spec: dict, path: str, pod: bool) -> dict:
    """A PodSpec -> the engine's template fields: containers, node_selector, tolerations, node_name."""
    raw = r.items(spec, "containers", "PodSpec", path, "v1.Container")
    if not raw:
        raise r.invalid(f"{path}.containers", "Required value")
    containers, seen = [], set()
    for i, c in enumerate(raw):
        container = _container(r, c, f"{path}.containers[{i}]")
        if container["name"] in seen:
            raise r.invalid(f"{path}.containers[{i}].name", f'Duplicate value: "{container["name"]}"')
        seen.add(container["name"])
        containers.append(container)
    out: dict = {"containers": containers}
    restart = r.str(spec, "restartPolicy", "PodSpec", path) or "Always"
    if restart != "Always":
        if not pod:
            raise r.invalid(f"{path}.restartPolicy", f'Unsupported value: "{restart}": supported values: "Always"')
        raise r.unsupported(f"{path}.restartPolicy: {restart}")
    selector = r.strmap(spec, "nodeSelector", "PodSpec", path)
    if selector:
        out["node_selector"] = selector
    tolerations = [_toleration(r, t, f"{path}.tolerations[{i}]")
                   for i, t in enumerate(r.items(spec, "tolerations", "PodSpec", path, "v1.Toleration"))]
    if tolerations:
        out["tolerations"] = tolerations
    node_name = r.str(spec, "nodeName", "PodSpec", path)
    if node_name:
        out["node_name"] = node_name
    return out


def _container(r: Reader, c: dict, path: str) -> dict:
    name, image = r.str(c, "name", "Container", path), r.str(c, "image", "Container", path)
    if not name:
        raise r.invalid(f"{path}.name", "Required value")
    if len(name) > 63 or not NAME_RE.match(name):
        raise r.invalid(f"{path}.name", f'Invalid value: "{name}": a lowercase RFC 1123 label must consist of lower '
                        "case alphanumeric characters or '-', and must start and end with an alphanumeric character")
    if not image or not image.strip():
        raise r.invalid(f"{path}.image", "Required value")
    out: dict = {"name": name, "image": image, "cpu": None, "memory": None, "port": None}
    ports = []
    for j, p in enumerate(r.items(c, "ports", "Container", path, "v1.ContainerPort")):
        at = f"{path}.ports[{j}]"
        number = r.int(p, "containerPort", "ContainerPort", at)
        if number is None or not 0 < number < 65536:
            raise r.invalid(f"{at}.containerPort", f"Invalid value: {number or 0}: must be between 1 and 65535, "
                            "inclusive")
        entry: dict = {"containerPort": number}
        port_name = r.str(p, "name", "ContainerPort", at)
        if port_name:
            entry["name"] = port_name
        protocol = _protocol(r, p, "ContainerPort", at)
        if protocol != "TCP":
            entry["protocol"] = protocol
        ports.append(entry)
    if ports:
        out["port"] = ports[0]["containerPort"]
        if len(ports) > 1 or len(ports[0]) > 1:
            out["ports"] = ports
    _resources(r, c, path, out)
    for key, internal in (("livenessProbe", "liveness"), ("readinessProbe", "readiness")):
        if c.get(key) is not None:
            out[internal] = _probe(r, r.dict(c, key, "Container", path, "v1.Probe"), f"{path}.{key}", internal)
    for key in ("command", "args"):
        words = r.list(c, key, "Container", path, "string")
        if any(not isinstance(w, str) for w in words):
            raise r.bad_request(f"json: cannot unmarshal number into Go struct field Container.{path}.{key} of "
                                "type string")
        if words:
            out[key] = list(words)
    env = []
    for j, item in enumerate(r.items(c, "env", "Container", path, "v1.EnvVar")):
        var_name = r.str(item, "name", "EnvVar", f"{path}.env[{j}]")
        if not var_name:
            raise r.invalid(f"{path}.env[{j}].name", "Required value")
        env.append({"name": var_name, "value": r.str(item, "value", "EnvVar", f"{path}.env[{j}]") or ""})
    if env:
        out["env"] = env
    workdir = r.str(c, "workingDir", "Container", path)
    if workdir:
        out["workingDir"] = workdir
    return out


def _protocol(r: Reader, obj: dict, struct: str, path: str) -> str:
    protocol = r.str(obj, "protocol", struct, path) or "TCP"
    if protocol not in ("TCP", "UDP", "SCTP"):
        raise r.invalid(f"{path}.protocol", f'Unsupported value: "{protocol}": supported values: "SCTP", "TCP", '
                        '"UDP"')
    return protocol


def _resources(r: Reader, c: dict, path: str, out: dict) -> None:
    resources = r.dict(c, "resources", "Container", path, "v1.ResourceRequirements")
    for section, prefix in (("requests", ""), ("limits", "limit_")):
        values = r.dict(resources, section, "ResourceRequirements", f"{path}.resources", "v1.ResourceList")
        for resource, value in values.items():
            if resource not in ("cpu", "memory"):
                raise r.unsupported(f"{path}.resources.{section}.{resource}")
            out[prefix + resource] = quantity(r, value, resource)
    for resource, fmt in (("cpu", format_cpu), ("memory", format_memory)):
        limit = out.get(f"limit_{resource}")
        if limit is None:
            continue
        if out[resource] is None:
            out[resource] = limit  # the API server's default: a limit alone is also the request
        elif out[resource] > limit:
            raise r.invalid(f"{path}.resources.requests", f'Invalid value: "{fmt(out[resource])}": must be less '
                            f"than or equal to {resource} limit of {fmt(limit)}")


def _probe(r: Reader, spec: dict, path: str, kind: str) -> dict:
    handlers = [k for k in ("httpGet", "tcpSocket", "exec") if spec.get(k) is not None]
    if not handlers:
        raise r.invalid(path, "Required value: must specify a handler type")
    if len(handlers) > 1:
        raise r.invalid(f"{path}.{handlers[1]}", "Forbidden: may not specify more than 1 handler type")
    handler = handlers[0]
    body = r.dict(spec, handler, "Probe", path, "v1.HTTPGetAction")
    at = f"{path}.{handler}"
    out: dict = {}
    if handler == "exec":
        command = r.list(body, "command", "ExecAction", at, "string")
        out["exec"] = {"command": [str(w) for w in command]}
    else:
        port = r.int_or_str(body, "port", "HTTPGetAction", at)
        if port is None or (isinstance(port, int) and not 0 < port < 65536):
            raise r.invalid(f"{at}.port", f"Invalid value: {port or 0}: must be between 1 and 65535, inclusive")
        out[handler] = {"port": port}
        if handler == "httpGet":
            out[handler]["path"] = r.str(body, "path", "HTTPGetAction", at) or "/"
            out[handler]["scheme"] = r.str(body, "scheme", "HTTPGetAction", at) or "HTTP"
    for key, default in probes.DEFAULTS.items():
        value = r.int(spec, key, "Probe", path)
        value = default if value is None else value
        least = 0 if key == "initialDelaySeconds" else 1
        if value < least:
            raise r.invalid(f"{path}.{key}", f"Invalid value: {value}: must be greater than or equal to {least}")
        if key == "successThreshold" and kind == "liveness" and value != 1:
            raise r.invalid(f"{path}.{key}", f"Invalid value: {value}: must be 1")
        out[key] = value
    return out


def _toleration(r: Reader, t: dict, at: str) -> dict:
    key, value = r.str(t, "key", "Toleration", at), r.str(t, "value", "Toleration", at)
    operator = r.str(t, "operator", "Toleration", at) or "Equal"
    effect = r.str(t, "effect", "Toleration", at)
    seconds = r.int(t, "tolerationSeconds", "Toleration", at)
    if operator not in ("Equal", "Exists"):
        raise r.invalid(f"{at}.operator", f'Unsupported value: "{operator}": supported values: "Equal", "Exists"')
    if operator == "Exists" and value:
        raise r.invalid(f"{at}.operator", f'Invalid value: "{value}": value must be empty when `operator` is '
                        "'Exists'")
    if operator == "Equal" and not key:
        raise r.invalid(f"{at}.operator", 'Invalid value: "Equal": operator must be Exists when `key` is empty, '
                        'which means "match all values and all keys"')
    if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
        raise r.invalid(f"{at}.effect", f'Unsupported value: "{effect}": supported values: "NoExecute", '
                        '"NoSchedule", "PreferNoSchedule"')
    if seconds is not None and effect != "NoExecute":
        raise r.invalid(f"{at}.effect", f'Invalid value: "{effect or ""}": effect must be \'NoExecute\' when '
                        "`tolerationSeconds` is set")
    out: dict = {"key": key} if key else {}
    out["operator"] = operator
    if value:
        out["value"] = value
    if effect:
        out["effect"] = effect
    if seconds is not None:
        out["seconds"] = seconds
    return out


def _service(r: Reader, spec: dict) -> dict:
    type_ = r.str(spec, "type", "ServiceSpec", "spec") or "ClusterIP"
    if type_ == "ExternalName":
        raise r.unsupported("spec.type: ExternalName")
    if type_ not in ("ClusterIP", "NodePort", "LoadBalancer"):
        raise r.invalid("spec.type", f'Unsupported value: "{type_}": supported values: "ClusterIP", "ExternalName", '
                        '"LoadBalancer", "NodePort"')
    raw = r.items(spec, "ports", "ServiceSpec", "spec", "v1.ServicePort")
    if not raw:
        raise r.invalid("spec.ports", "Required value")
    ports, names = [], set()
    for j, p in enumerate(raw):
        at = f"spec.ports[{j}]"
        number = r.int(p, "port", "ServicePort", at)
        if number is None or not 0 < number < 65536:
            raise r.invalid(f"{at}.port", f"Invalid value: {number or 0}: must be between 1 and 65535, inclusive")
        name = r.str(p, "name", "ServicePort", at)
        if len(raw) > 1 and not name:
            raise r.invalid(f"{at}.name", "Required value")
        if name in names:
            raise r.invalid(f"{at}.name", f'Duplicate value: "{name}"')
        names.add(name)
        target = r.int_or_str(p, "targetPort", "ServicePort", at)
        if isinstance(target, int) and not 0 <= target < 65536:
            raise r.invalid(f"{at}.targetPort", f"Invalid value: {target}: must be between 1 and 65535, inclusive")
        entry: dict = {"port": number, "target_port": target or number, "protocol": _protocol(r, p, "ServicePort", at)}
        node_port = r.int(p, "nodePort", "ServicePort", at)
        if node_port:
            if type_ == "ClusterIP":
                raise r.invalid(f"{at}.nodePort", "Forbidden: may not be used when `type` is 'ClusterIP'")
            if not 30000 <= node_port <= 32767:
                raise r.invalid(f"{at}.nodePort", f"Invalid value: {node_port}: provided port is not in the valid "
                                "range. The range of valid ports is 30000-32767")
            entry["node_port"] = node_port
        if name:
            entry["name"] = name
        ports.append(entry)
    out = {"type": type_, "ports": ports, "selector": r.strmap(spec, "selector", "ServiceSpec", "spec") or {}}
    cluster_ip = r.str(spec, "clusterIP", "ServiceSpec", "spec")
    if cluster_ip == "None":
        raise r.unsupported("spec.clusterIP: None")
    if cluster_ip:
        out["cluster_ip"] = cluster_ip
    return out


def _hpa(r: Reader, spec: dict) -> dict:
    ref = r.dict(spec, "scaleTargetRef", "HorizontalPodAutoscalerSpec", "spec", "CrossVersionObjectReference")
    for key in ("kind", "name"):
        if not r.str(ref, key, "CrossVersionObjectReference", "spec.scaleTargetRef"):
            raise r.invalid(f"spec.scaleTargetRef.{key}", "Required value")
    if ref["kind"] != "Deployment":
        raise ManifestError(f"HPA의 scaleTargetRef는 지금은 Deployment만 가리킬 수 있습니다 (받은 값: {ref['kind']}).")
    low = r.int(spec, "minReplicas", "HorizontalPodAutoscalerSpec", "spec")
    low = 1 if low is None else low
    if low < 1:
        raise r.invalid("spec.minReplicas", f"Invalid value: {low}: must be greater than or equal to 1")
    high = r.int(spec, "maxReplicas", "HorizontalPodAutoscalerSpec", "spec") or 0
    if high < 1:
        raise r.invalid("spec.maxReplicas", f"Invalid value: {high}: must be greater than 0")
    if high < low:
        raise r.invalid("spec.maxReplicas", f"Invalid value: {high}: must be greater than or equal to `minReplicas`")
    target = 80  # the controller's default when no metric is given
    if r.version == "v1":
        given = r.int(spec, "targetCPUUtilizationPercentage", "HorizontalPodAutoscalerSpec", "spec")
        target = target if given is None else given
        where = "spec.targetCPUUtilizationPercentage"
    else:
        metrics = r.items(spec, "metrics", "HorizontalPodAutoscalerSpec", "spec", "v2.MetricSpec")
        if len(metrics) > 1:
            raise ManifestError("HPA 지표(metrics)는 지금은 CPU 사용률 하나만 쓸 수 있습니다.")
        where = "spec.metrics[0].resource.target.averageUtilization"
        if metrics:
            resource = r.dict(metrics[0], "resource", "MetricSpec", "spec.metrics[0]", "v2.ResourceMetricSource")
            goal = r.dict(resource, "target", "ResourceMetricSource", "spec.metrics[0].resource", "v2.MetricTarget")
            if metrics[0].get("type") != "Resource" or resource.get("name") != "cpu" or \
                    goal.get("type") != "Utilization":
                raise ManifestError("HPA 지표(metrics)는 지금은 type: Resource, resource.name: cpu, target.type: "
                                    "Utilization 형태만 쓸 수 있습니다.")
            given = r.int(goal, "averageUtilization", "MetricTarget", "spec.metrics[0].resource.target")
            target = target if given is None else given
    if target < 1:
        raise r.invalid(where, f"Invalid value: {target}: must be greater than 0")
    return {"target": ref["name"], "min_replicas": low, "max_replicas": high, "cpu_target": target}
