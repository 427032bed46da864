"""The kinds registry: every kind declares what the verbs need from it, and no two kinds claim a name."""

from orchestrator.kinds.registry import BY_KIND, KINDS, find


def test_every_kind_can_be_listed_and_printed():
    """kubectl get needs columns and -o yaml|json needs a rendering, for every kind kubectl get takes."""
    missing = [k.plural for k in KINDS.values() if not k.columns or k.render is None]
    assert not missing


def test_a_kind_that_comes_from_manifests_declares_its_schema_and_apply():
    for kind in KINDS.values():
        if kind.api_versions:
            versions = [v.rpartition("/")[2] for v in kind.api_versions]
            assert all(kind.schemas.get(v) or kind.schema for v in versions), kind.kind
            assert kind.apply is not None, kind.kind


def test_a_stored_kind_names_its_record_class():
    assert all(k.record is not None for k in KINDS.values() if k.store)


def test_no_two_kinds_answer_to_the_same_name():
    claimed: dict[str, str] = {}
    for kind in KINDS.values():
        for name in {n.lower() for n in kind.names()}:
            assert claimed.setdefault(name, kind.plural) == kind.plural, name
    assert len(BY_KIND) == len(KINDS)


def test_kubectl_names_find_their_kind_in_any_case():
    assert find("deploy").kind == "Deployment"
    assert find("HPA").kind == "HorizontalPodAutoscaler"
    assert find("ingresses.networking.k8s.io").kind == "Ingress"
    assert find("statefulsets") is None
