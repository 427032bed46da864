"""``describe_service`` and ``describe_hpa``: kubectl 1.33's layout and fields."""

from orchestrator.describing import Describer
from orchestrator.kinds.horizontalpodautoscaler import describe_hpa
from orchestrator.kinds.service import describe_service
from tests.orchestrator.conftest import cluster, deploy, make_sim, ok


def value_column(text, label):
    line = next(line for line in text.splitlines() if line.startswith(label))
    return len(line) - len(line[len(label):].lstrip(" "))


def test_load_balancer_service_shows_kubectl_fields_in_order():
    sim = make_sim()
    pods = deploy(sim, "web", replicas=3)
    ok(sim, "kubectl expose deployment web --port=80 --type=LoadBalancer")
    sim.advance(60)
    cl = cluster(sim)
    svc = cl.services["default/web"]
    text = describe_service(Describer(sim, cl), svc)
    node_port = svc.ports[0]["node_port"]
    expected = ["Name:                     web", "Namespace:                default",
                "Labels:                   app=web",
                'Annotations:              cloud.google.com/neg: {"ingress":true}',
                "Selector:                 app=web", "Type:                     LoadBalancer",
                "IP Family Policy:         SingleStack", "IP Families:              IPv4",
                f"IP:                       {svc.cluster_ip}", f"IPs:                      {svc.cluster_ip}",
                f"LoadBalancer Ingress:     {svc.external_ip} (VIP)", "Port:                     <unset>  80/TCP",
                "TargetPort:               80/TCP", f"NodePort:                 <unset>  {node_port}/TCP",
                "Session Affinity:         None", "External Traffic Policy:  Cluster",
                "Internal Traffic Policy:  Cluster", "Events:"]
    lines = text.splitlines()
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions)
    endpoints = next(line for line in lines if line.startswith("Endpoints:"))
    assert sorted(endpoints.split()[1].split(",")) == sorted(f"{p.ip}:80" for p in pods)
    assert "EnsuringLoadBalancer" in text and "EnsuredLoadBalancer" in text


def test_service_endpoints_show_three_and_count_the_rest_and_empty_when_none_ready():
    sim = make_sim()
    deploy(sim, "web", replicas=5)
    ok(sim, "kubectl expose deployment web --port=80")
    cl = cluster(sim)
    text = describe_service(Describer(sim, cl), cl.services["default/web"])
    assert text.count(":80,") == 2 and "+ 2 more..." in text
    assert "NodePort:" not in text and "External Traffic Policy" not in text
    ok(sim, "kubectl scale deployment web --replicas=0")
    sim.advance(5)
    text = describe_service(Describer(sim, cl), cl.services["default/web"])
    assert "\nEndpoints:                \n" in text
    assert "\nEvents:                   <none>" in text


def test_kubernetes_service_has_no_selector():
    sim = make_sim()
    cl = cluster(sim)
    text = describe_service(Describer(sim, cl), cl.services["default/kubernetes"])
    assert "Selector:                 <none>" in text
    assert "Port:                     https  443/TCP" in text
    assert f"Endpoints:                {cl.endpoint}:443" in text


def test_hpa_before_its_first_sync_has_unknown_metrics_and_no_conditions():
    sim = make_sim()
    deploy(sim, "web", replicas=1)
    ok(sim, "kubectl autoscale deployment web --cpu-percent=50 --min=1 --max=5")
    cl = cluster(sim)
    text = describe_hpa(Describer(sim, cl), cl.hpas["default/web"])
    assert "  resource cpu on pods  (as a percentage of request):  <unknown> / 50%" in text
    assert "Deployment pods:                                       0 current / 0 desired" in text
    assert "Conditions:" not in text
    assert value_column(text, "Name:") == 55


def test_hpa_after_scaling_shows_metrics_conditions_and_rescale_events():
    sim = make_sim(nodes=3, machine_type="e2-standard-4")
    deploy(sim, "web", replicas=1, image="registry.k8s.io/hpa-example")
    ok(sim, "kubectl expose deployment web --port=80")
    ok(sim, "kubectl autoscale deployment web --cpu-percent=50 --min=1 --max=3")
    ok(sim, "sim traffic web 40")
    sim.advance(120)
    cl = cluster(sim)
    hpa = cl.hpas["default/web"]
    text = describe_hpa(Describer(sim, cl), hpa)
    assert f"  resource cpu on pods  (as a percentage of request):  {hpa.current_utilization}% (" in text
    assert "Reference:                                             Deployment/web" in text
    assert "Max replicas:                                          3" in text
    lines = text.splitlines()
    start = lines.index("Conditions:")
    assert lines[start + 1].split() == ["Type", "Status", "Reason", "Message"]
    kinds = [line.split()[0] for line in lines[start + 3:start + 6]]
    assert kinds == ["AbleToScale", "ScalingActive", "ScalingLimited"]
    assert "TooManyReplicas" in text  # 40 rps x 20m is far more than 3 pods at 50 %
    assert "SuccessfulRescale" in text and "New size: " in text


def test_hpa_without_metrics_reports_failed_get_resource_metric():
    sim = make_sim()
    ok(sim, "kubectl create deployment web --image=nginx:nope --replicas=1")
    ok(sim, "kubectl autoscale deployment web --cpu-percent=50 --min=1 --max=3")
    sim.advance(20)
    cl = cluster(sim)
    text = describe_hpa(Describer(sim, cl), cl.hpas["default/web"])
    assert "SucceededGetScale" in text
    row = next(line for line in text.splitlines() if line.startswith("  ScalingActive"))
    assert row.split()[:3] == ["ScalingActive", "False", "FailedGetResourceMetric"]
    assert "the HPA was unable to compute the replica count: failed to get cpu utilization" in row
