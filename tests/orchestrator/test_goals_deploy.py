"""Goals for the final lesson: secret/configmap keys, job_complete, ingress_address (with a certificate), pdb."""

import pytest

from orchestrator.controllers.ingress import CERT_PROVISION_SECONDS, INGRESS_PROVISION_SECONDS
from orchestrator.goals import GoalError, load
from tests.orchestrator.conftest import has_hangul, make_sim, ok
from tests.orchestrator.test_deploy_manifests import MANIFESTS, manifest


def check(sim, spec):
    return load(spec).evaluate(sim)


@pytest.mark.parametrize("spec", [
    {"secret": {"secret": "web-secrets", "keys": ["SECRET_KEY", "DATABASE_URL"]}},
    {"configmap": {"configmap": "web-config", "namespace": "prod"}},
    {"job_complete": {"job": "migrate"}},
    {"ingress_address": {"ingress": "web", "certificate": "web-cert"}},
    {"pdb": {"pdb": "web", "allowed_at_least": 1}},
])
def test_new_goals_round_trip_and_describe_in_korean(spec):
    goal = load(spec)
    assert goal.to_dict() == spec and has_hangul(goal.describe())


@pytest.mark.parametrize("spec, error", [
    ({"secret": {"keys": ["A"]}}, "goal.secret.secret: required"),
    ({"secret": {"secret": "s", "keys": []}}, "goal.secret.keys: must be a non-empty list of names"),
    ({"pdb": {"pdb": "web", "allowed_at_least": -1}}, "goal.pdb.allowed_at_least: must be a whole number >= 0"),
    ({"job_complete": {"job": "migrate", "image": "x"}}, "goal.job_complete.image: unknown key"),
])
def test_new_goals_name_the_bad_field(spec, error):
    with pytest.raises(GoalError, match=error.replace(".", r"\.")):
        load(spec)


def test_the_goals_follow_the_course_deployment_step_by_step():
    sim = make_sim()
    paths = {p.name: p for p in MANIFESTS}
    secret = check(sim, {"secret": {"secret": "web-secrets", "keys": ["SECRET_KEY", "DATABASE_URL"]}})
    assert not secret.passed and "kubectl create secret generic web-secrets" in secret.message
    ok(sim, "kubectl create secret generic web-secrets --from-literal=SECRET_KEY=x")
    secret = check(sim, {"secret": {"secret": "web-secrets", "keys": ["SECRET_KEY", "DATABASE_URL"]}})
    assert not secret.passed and "DATABASE_URL 키가 있어야 한다" in secret.message
    ok(sim, "kubectl delete secret web-secrets")
    for name in ("10-configmap.yaml", "11-secret.yaml", "20-migrate-job.yaml"):
        ok(sim, "kubectl apply -f -\n" + manifest(paths[name], sim))
    assert check(sim, {"secret": {"secret": "web-secrets", "keys": ["SECRET_KEY", "DATABASE_URL"]}}).passed
    assert check(sim, {"configmap": {"configmap": "web-config", "keys": ["BIND"]}}).passed
    job = check(sim, {"job_complete": {"job": "migrate"}})
    assert not job.passed and "아직 끝나지 않았다" in job.message
    sim.advance(30)
    assert check(sim, {"job_complete": {"job": "migrate"}}).passed
    for path in MANIFESTS:
        ok(sim, "kubectl apply -f -\n" + manifest(path, sim))
    sim.advance(30)
    assert check(sim, {"pdb": {"pdb": "web", "allowed_at_least": 1}}).passed
    assert not check(sim, {"pdb": {"pdb": "web", "allowed_at_least": 2}}).passed
    waiting = check(sim, {"ingress_address": {"ingress": "web", "certificate": "web-cert"}})
    assert not waiting.passed and "주소가 없다" in waiting.message
    sim.advance(INGRESS_PROVISION_SECONDS)
    provisioning = check(sim, {"ingress_address": {"ingress": "web", "certificate": "web-cert"}})
    assert not provisioning.passed and "Provisioning" in provisioning.message
    assert check(sim, {"ingress_address": {"ingress": "web"}}).passed
    sim.advance(CERT_PROVISION_SECONDS)
    assert check(sim, {"ingress_address": {"ingress": "web", "certificate": "web-cert"}}).passed


def test_an_ingress_without_its_service_says_why_it_has_no_address():
    sim = make_sim()
    ok(sim, "kubectl apply -f -\n" + manifest(next(p for p in MANIFESTS if "ingress" in p.name), sim))
    sim.advance(INGRESS_PROVISION_SECONDS + 5)
    result = check(sim, {"ingress_address": {"ingress": "web"}})
    assert not result.passed and 'could not find service "default/web"' in result.message
