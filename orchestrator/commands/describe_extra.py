"""``kubectl describe`` for ConfigMaps, Secrets, PodDisruptionBudgets, Jobs and Ingresses, after kubectl's
describers (a Secret shows only the size of each value, never the value)."""

from __future__ import annotations

import base64

from ..controllers.job import job_pods
from ..disruption import budget
from ..services import endpoint_addresses
from ..timefmt import go_duration, rfc1123z
from .kubectl_describe import Describer, Lines
from .kubectl_get import format_labels


def describe_extra(ctx: Describer, plural: str, obj) -> str:
    return _DESCRIBERS[plural](ctx, obj)


def _head(w: Lines, obj, annotations: dict | None = None) -> None:
    w.add(f"Name:\t{obj.name}", f"Namespace:\t{obj.namespace}")
    w.labels("Labels", obj.labels)
    w.annotations("Annotations", annotations if annotations is not None else getattr(obj, "annotations", {}))


def _configmap(ctx: Describer, m) -> str:
    w = Lines()
    _head(w, m)
    w.add("", "Data", "====")
    for key in sorted(m.data):
        w.add(f"{key}:", "----", *m.data[key].removesuffix("\n").split("\n"), "")
    w.add("BinaryData", "====", "")
    ctx.events(w, "ConfigMap", m.name, m.namespace)
    return w.text()


def _secret(ctx: Describer, s) -> str:
    w = Lines()
    _head(w, s)
    w.add("", f"Type:\t{s.type}", "", "Data", "====")
    for key in sorted(s.data):
        w.add(f"{key}:\t{len(base64.b64decode(s.data[key]))} bytes")
    return w.text()


def _pdb(ctx: Describer, p) -> str:
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


def _job(ctx: Describer, j) -> str:
    from ..controllers.job import labels_for

    w = Lines()
    w.add(f"Name:\t{j.name}", f"Namespace:\t{j.namespace}", f"Selector:\tbatch.kubernetes.io/controller-uid={j.uid}")
    w.labels("Labels", j.labels)
    w.annotations("Annotations", {})
    w.add(f"Parallelism:\t{j.parallelism}", f"Completions:\t{j.completions}", "Completion Mode:\tNonIndexed",
          "Suspend:\tfalse", f"Backoff Limit:\t{j.backoff_limit}")
    if j.ttl_after_finished is not None:
        w.add(f"TTL Seconds After Finished:\t{j.ttl_after_finished}")
    if j.start_time is not None:
        w.add(f"Start Time:\t{rfc1123z(j.start_time)}")
    if j.complete:
        w.add(f"Completed At:\t{rfc1123z(j.completion_time)}",
              f"Duration:\t{go_duration(j.completion_time - j.start_time)}")
    pods = job_pods(ctx.cluster, j)
    active = sum(1 for p in pods if not p.finished and not p.terminating)
    w.add(f"Pods Statuses:\t{active} Active ({sum(p.ready for p in pods)} Ready) / {j.succeeded} Succeeded / "
          "0 Failed")
    ctx._pod_template(w, j.template, {**j.template["labels"], **labels_for(j)})
    ctx.events(w, "Job", j.name, j.namespace)
    return w.text()


def _backend_text(ctx: Describer, namespace: str, backend: dict) -> str:
    service = ctx.cluster.services.get(f"{namespace}/{backend['service']}")
    if service is None:
        return f"{backend['service']}:{backend['port']} (<error: services \"{backend['service']}\" not found>)"
    addresses = endpoint_addresses(ctx.cluster, service)
    shown = ",".join(addresses[:3]) + (f" + {len(addresses) - 3} more..." if len(addresses) > 3 else "")
    return f"{backend['service']}:{backend['port']} ({shown or '<none>'})"


def _ingress(ctx: Describer, i) -> str:
    w = Lines()
    w.add(f"Name:\t{i.name}")
    w.labels("Labels", i.labels)
    w.add(f"Namespace:\t{i.namespace}", f"Address:\t{i.address or ''}", f"Ingress Class:\t{i.class_name or '<none>'}")
    default = _backend_text(ctx, i.namespace, i.default_backend) if i.default_backend else "<default>"
    w.add(f"Default backend:\t{default}")
    if i.tls:
        w.add("TLS:")
        for t in i.tls:
            w.add(f"  {t['secret'] or 'SNI'} terminates {','.join(t['hosts'])}")
    w.add("Rules:", "  Host\tPath\tBackends", "  ----\t----\t--------")
    for rule in i.rules:
        w.add(f"  {rule['host'] or '*'}\t\t")
        for path in rule["paths"]:
            w.add(f"  \t{path['path']}\t{_backend_text(ctx, i.namespace, path)}")
    w.annotations("Annotations", i.annotations)
    ctx.events(w, "Ingress", i.name, i.namespace)
    return w.text()


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


_DESCRIBERS = {"configmaps": _configmap, "secrets": _secret, "poddisruptionbudgets": _pdb, "jobs": _job,
               "ingresses": _ingress}
