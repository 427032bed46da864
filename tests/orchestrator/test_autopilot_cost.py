"""Autopilot clusters (GKE manages the nodes, bills the requests) and the sim cost estimate."""

import re

from orchestrator import Simulation
from orchestrator.catalog import (
    AUTOPILOT_GIB_PER_HOUR,
    AUTOPILOT_VCPU_PER_HOUR,
    CLUSTER_FEE_PER_HOUR,
    NODE_PRICE_PER_HOUR,
)
from tests.orchestrator.conftest import ZONE, cluster, fails, live_pods, make_sim, ok

REGION = "asia-northeast3"


def autopilot(seed: int = 5) -> Simulation:
    sim = Simulation(seed=seed)
    ok(sim, f"gcloud container clusters create-auto auto --region={REGION}")
    return sim


def dollars(text: str, label: str) -> float:
    """The amount on the ``sim cost`` line that starts with ``label``."""
    line = next(ln for ln in text.split("\n") if ln.strip().startswith(label))
    return float(re.search(r"\$(\d+\.\d{4})$", line).group(1))


def test_create_auto_needs_a_region():
    sim = Simulation(seed=5)
    text = fails(sim, f"gcloud container clusters create-auto auto --zone={ZONE}")
    assert text.startswith("ERROR: (gcloud.container.clusters.create-auto) ResponseError: code=400, "
                           "message=Autopilot clusters must be regional clusters.")
    assert not sim.clusters


def test_autopilot_nodes_are_named_gk3():
    sim = autopilot()
    names = list(cluster(sim).nodes)
    assert names and all(n.startswith("gk3-auto-") for n in names)
    assert cluster(sim).mode == "autopilot"
    assert ok(sim, f"gcloud container clusters describe auto --region={REGION}").startswith(
        "autopilot:\n  enabled: true\n")


def test_pods_get_default_requests():
    sim = autopilot()
    ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=2")
    pods = live_pods(sim, "web")
    assert {(p.cpu, p.memory) for p in pods} == {(500, 2 * 2**30)}
    container = pods[0].containers[0]
    assert (container["limit_cpu"], container["limit_memory"]) == (500, 2 * 2**30)


def test_pending_pods_make_new_nodes_appear():
    sim = autopilot()
    before = len(cluster(sim).nodes)
    ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=10")
    sim.advance(300)
    assert len(cluster(sim).nodes) > before
    assert all(p.ready for p in live_pods(sim, "web")) and len(live_pods(sim, "web")) == 10
    assert all(n.startswith("gk3-") for n in cluster(sim).nodes)


def test_resize_update_and_node_pools_are_refused():
    sim = autopilot()
    for line in (f"gcloud container clusters resize auto --num-nodes=3 --region={REGION}",
                 f"gcloud container node-pools create extra --cluster=auto --region={REGION}",
                 f"gcloud container node-pools delete default-pool --cluster=auto --region={REGION}",
                 f"gcloud container clusters update auto --region={REGION} --enable-autoscaling --max-nodes=3"):
        text = fails(sim, line)
        assert text.startswith("ERROR: (gcloud.container.") and "code=400" in text, text
        assert "Autopilot" in text


def test_standard_cost_is_nodes_times_price_plus_the_fee():
    sim = make_sim(nodes=3)
    text = ok(sim, "sim cost")
    node_line = dollars(text, "노드 3개 × e2-medium")
    assert node_line == round(3 * NODE_PRICE_PER_HOUR["e2-medium"], 4)
    assert dollars(text, "클러스터 관리 수수료") == CLUSTER_FEE_PER_HOUR
    assert dollars(text, "소계") == round(node_line + CLUSTER_FEE_PER_HOUR, 4)
    total = float(re.search(r"합계: 시간당 \$(\d+\.\d{4})", text).group(1))
    assert total == dollars(text, "소계")


def test_autopilot_cost_follows_the_requests():
    sim = autopilot()
    ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=4")
    sim.advance(300)
    text = ok(sim, "sim cost")
    assert dollars(text, "파드 요청 vCPU 2개") == round(2 * AUTOPILOT_VCPU_PER_HOUR, 4)
    assert dollars(text, "파드 요청 메모리 8GiB") == round(8 * AUTOPILOT_GIB_PER_HOUR, 4)
    ok(sim, "kubectl scale deployment web --replicas=2")
    sim.advance(60)
    assert "파드 요청 vCPU 1개" in ok(sim, "sim cost")


def test_totals_add_up_over_clusters():
    sim = make_sim(nodes=2)
    ok(sim, f"gcloud container clusters create-auto auto --region={REGION}")
    text = ok(sim, "sim cost")
    subtotals = [float(m) for m in re.findall(r"소계\s+\$(\d+\.\d{4})", text)]
    assert len(subtotals) == 2
    total = float(re.search(r"합계: 시간당 \$(\d+\.\d{4})", text).group(1))
    assert abs(total - sum(subtotals)) < 0.00015
    assert re.search(r"\(30일이면 약 \$[\d,]+\.\d{2}\)$", text)


def test_clusters_describe_ends_with_the_cost_comment():
    sim = make_sim(nodes=3)
    last = ok(sim, f"gcloud container clusters describe demo --zone={ZONE}").split("\n")[-1]
    hourly = CLUSTER_FEE_PER_HOUR + 3 * NODE_PRICE_PER_HOUR["e2-medium"]
    assert last == f"# 예상 비용(예시 가격): 시간당 ${hourly:.4f} — 자세히는 sim cost"


def test_no_clusters_cost_nothing():
    assert ok(Simulation(seed=1), "sim cost").endswith("클러스터가 없어 비용이 들지 않습니다.")
