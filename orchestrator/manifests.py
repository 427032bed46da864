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

from .quantity import QuantityError, parse_cpu, parse_memory

MAX_DOCUMENTS = 20
MAX_NODES = 10_000  # YAML nodes after alias expansion, across all documents
MAX_DEPTH = 64  # no Kubernetes object nests this deep; a cycle of aliases would
NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
CONFIG_KEY_RE = re.compile(r"^[-._a-zA-Z0-9]+$")
PERCENT_RE = re.compile(r"^[0-9]+%$")
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
        nodes = [n for n in yaml.compose_all(text, Loader=_Loader) if n is not None]
        budget = [MAX_NODES]
        for node in nodes:
            _count(node, {}, 0, budget)
        documents = [d for d in yaml.load_all(text, Loader=_Loader) if d is not None]
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


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing flow nesting ([ and {) deeper than any manifest's before it is read:
    PyYAML's scanner slows down with the square of that depth (10,000 brackets cost half a minute)."""

    def fetch_flow_collection_start(self, token_class) -> None:
        if self.flow_level >= MAX_DEPTH:
            raise ManifestError(TOO_BIG)
        super().fetch_flow_collection_start(token_class)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _count(node, memo: dict, depth: int, budget: list[int]) -> int:
    """Nodes under ``node`` with aliases expanded, memoised so a billion laughs costs only its real size.
    Scalars are checked on the way for what YAML escapes can make but no database text column stores."""
    if depth > MAX_DEPTH:
        raise ManifestError(TOO_BIG)
    if id(node) in memo:
        size = memo[id(node)]
    else:
        size = 1
        if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
            _check_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
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


def _check_scalar(node) -> None:
    if _SURROGATE.search(node.value):  # "\ud800": half a UTF-16 pair, which go-yaml refuses as kubectl says
        raise ManifestError("error: error parsing STDIN: error converting YAML to JSON: yaml: line "
                            f"{node.start_mark.line + 1}: found invalid Unicode character escape code")
    if "\x00" in node.value:  # "\0" is valid YAML, but neither PostgreSQL nor the console can hold it
        raise ManifestError(f"{node.start_mark.line + 1}번째 줄: 매니페스트에 NUL 문자(\\0)는 쓸 수 없습니다.")


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
    "env": [{"name": ANY, "value": ANY, "valueFrom": {
        "configMapKeyRef": {"name": ANY, "key": ANY, "optional": ANY},
        "secretKeyRef": {"name": ANY, "key": ANY, "optional": ANY}, "fieldRef": NO, "resourceFieldRef": NO}}],
    "envFrom": [{"prefix": ANY, "configMapRef": {"name": ANY, "optional": ANY},
                 "secretRef": {"name": ANY, "optional": ANY}}],
    "securityContext": ANY,
    "ports": [{"containerPort": ANY, "name": ANY, "protocol": ANY, "hostPort": NO, "hostIP": NO}],
    "resources": {"requests": ANY, "limits": ANY, "claims": NO}, "livenessProbe": PROBE, "readinessProbe": PROBE,
    "imagePullPolicy": ANY, "terminationMessagePath": ANY, "terminationMessagePolicy": ANY,
    **dict.fromkeys(("startupProbe", "volumeMounts", "volumeDevices", "lifecycle",
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


def check_fields(reader: Reader, doc: dict, schema: dict) -> None:
    """Strict decoding against the kind's ``schema``: an unknown field fails, as with kubectl's default
    ``--validate=strict``."""
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


def check_config_keys(r: Reader, data: dict, field: str) -> None:
    """The keys of a ConfigMap's or Secret's data, as the API server checks them."""
    for key in data:
        if not CONFIG_KEY_RE.match(key) or len(key) > 253:
            raise r.invalid(f"{field}[{key}]", f'Invalid value: "{key}": a valid config key must consist of '
                            "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or "
                            "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")


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
