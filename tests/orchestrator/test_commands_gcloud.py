"""``gcloud container clusters|node-pools`` and ``gcloud config``."""

from orchestrator import Limits, Simulation
from tests.orchestrator.conftest import (
    ZONE,
    cluster,
    deploy,
    fails,
    has_hangul,
    live_pods,
    make_sim,
    ok,
    running,
    table_rows,
)

CREATE = f"gcloud container clusters create demo --num-nodes=3 --zone={ZONE}"


def test_create_prints_progress_kubeconfig_line_and_cluster_table():
    sim = Simulation(seed=1)
    text = ok(sim, CREATE)
    lines = text.split("\n")
    assert lines[0].startswith(f"Creating cluster demo in {ZONE}...")
    assert "kubeconfig entry generated for demo." in lines
    assert lines[-2].split() == ["NAME", "LOCATION", "MASTER_VERSION", "MASTER_IP", "MACHINE_TYPE", "NODE_VERSION",
                                 "NUM_NODES", "STATUS"]
    row = lines[-1].split()
    assert row[0] == "demo" and row[1] == ZONE and row[4] == "e2-medium"
    assert row[6] == "3" and row[7] == "RUNNING"
    assert f"Created [https://container.googleapis.com/v1/projects/k8s-learning/zones/{ZONE}/clusters/demo]." in lines


def test_create_defaults_to_three_e2_medium_nodes():
    sim = Simulation(seed=1)
    ok(sim, f"gcloud container clusters create demo --zone={ZONE}")
    nodes = list(cluster(sim).nodes.values())
    assert len(nodes) == 3
    assert {n.machine_type for n in nodes} == {"e2-medium"}
    assert {n.zone for n in nodes} == {ZONE}


def test_create_with_region_puts_num_nodes_in_each_of_three_zones():
    sim = Simulation(seed=1)
    ok(sim, "gcloud container clusters create seoul --region=asia-northeast3 --num-nodes=2")
    nodes = list(cluster(sim).nodes.values())
    assert len(nodes) == 6
    zones = sorted(n.zone for n in nodes)
    assert zones == ["asia-northeast3-a"] * 2 + ["asia-northeast3-b"] * 2 + ["asia-northeast3-c"] * 2


def test_create_without_location_names_the_missing_flags():
    sim = Simulation(seed=1)
    text = fails(sim, "gcloud container clusters create demo")
    assert "One of [--zone, --region] must be supplied" in text
    assert not sim.clusters


def test_config_set_compute_zone_makes_zone_flag_optional():
    sim = Simulation(seed=1)
    assert ok(sim, f"gcloud config set compute/zone {ZONE}") == "Updated property [compute/zone]."
    ok(sim, "gcloud container clusters create demo --num-nodes=1")
    assert cluster(sim).location == ZONE
    assert ok(sim, "gcloud config get-value compute/zone") == ZONE


def test_config_set_rejects_unknown_property():
    sim = Simulation(seed=1)
    text = fails(sim, "gcloud config set compute/foo bar")
    assert "has no property [foo]" in text


def test_create_duplicate_name_is_409():
    sim = make_sim()
    text = fails(sim, CREATE)
    assert "code=409" in text and "Already exists" in text
    assert len(sim.clusters) == 1


def test_create_rejects_invalid_cluster_name():
    sim = Simulation(seed=1)
    text = fails(sim, f"gcloud container clusters create Demo_1 --zone={ZONE}")
    assert "code=400" in text and "Invalid value for field 'cluster.name'" in text
    assert not sim.clusters


def test_create_rejects_unknown_machine_type():
    sim = Simulation(seed=1)
    text = fails(sim, f"gcloud container clusters create demo --zone={ZONE} --machine-type=z9-mega")
    assert 'Machine type "z9-mega" does not exist' in text
    assert not sim.clusters


def test_create_rejects_unknown_location():
    sim = Simulation(seed=1)
    text = fails(sim, "gcloud container clusters create demo --zone=mars-north1-a")
    assert 'Location "mars-north1-a" does not exist' in text


def test_create_rejects_unknown_flag_like_argparse():
    sim = Simulation(seed=1)
    text = fails(sim, f"gcloud container clusters create demo --zone={ZONE} --flavour=vanilla")
    assert text.startswith("ERROR: (gcloud.container.clusters.create) unrecognized arguments:")
    assert "--flavour=vanilla" in text


def test_create_rejects_negative_num_nodes():
    sim = Simulation(seed=1)
    text = fails(sim, f"gcloud container clusters create demo --zone={ZONE} --num-nodes=-1")
    assert "--num-nodes" in text
    assert not sim.clusters


def test_create_rejects_non_integer_num_nodes():
    sim = Simulation(seed=1)
    text = fails(sim, f"gcloud container clusters create demo --zone={ZONE} --num-nodes=three")
    assert text.startswith("ERROR: (gcloud.container.clusters.create)")


def test_fourth_cluster_is_refused_in_korean():
    sim = Simulation(seed=1)
    for name in ("a1", "a2", "a3"):
        ok(sim, f"gcloud container clusters create {name} --num-nodes=1 --zone={ZONE}")
    text = fails(sim, f"gcloud container clusters create a4 --num-nodes=1 --zone={ZONE}")
    assert has_hangul(text)
    assert "3" in text
    assert sorted(sim.clusters) == ["a1", "a2", "a3"]


def test_more_than_fifty_nodes_is_refused_in_korean():
    sim = Simulation(seed=1)
    text = fails(sim, f"gcloud container clusters create big --num-nodes=51 --zone={ZONE}")
    assert has_hangul(text) and "50" in text
    text = fails(sim, "gcloud container clusters create big --num-nodes=17 --region=asia-northeast3")
    assert has_hangul(text) and "51" in text
    assert not sim.clusters


def test_fifty_nodes_are_allowed():
    sim = Simulation(seed=1)
    ok(sim, f"gcloud container clusters create big --num-nodes=50 --zone={ZONE}")
    assert len(cluster(sim).nodes) == 50


def test_list_shows_every_cluster():
    sim = make_sim()
    ok(sim, "gcloud container clusters create other --num-nodes=1 --region=asia-northeast3")
    rows = table_rows(ok(sim, "gcloud container clusters list"))
    assert [(r["NAME"], r["LOCATION"], r["NUM_NODES"]) for r in rows] == [
        ("demo", ZONE, "3"), ("other", "asia-northeast3", "3")]


def test_list_with_no_clusters():
    assert ok(Simulation(seed=1), "gcloud container clusters list") == "Listed 0 items."


def test_describe_shows_yaml_like_fields():
    sim = make_sim()
    text = ok(sim, f"gcloud container clusters describe demo --zone={ZONE}")
    assert "name: demo" in text.split("\n")
    assert "currentNodeCount: 3" in text
    assert "    machineType: e2-medium" in text
    assert "status: RUNNING" in text


def test_describe_unknown_cluster_is_404():
    sim = make_sim()
    text = fails(sim, f"gcloud container clusters describe nope --zone={ZONE}")
    assert "code=404" in text and "clusters/nope" in text


def test_delete_removes_cluster_and_context():
    sim = make_sim()
    text = ok(sim, f"gcloud container clusters delete demo --zone={ZONE}")
    assert "Deleting cluster demo...done." in text
    assert "Do you want to continue (Y/n)?" in text
    assert not sim.clusters and not sim.contexts and sim.current_context is None
    refused = fails(sim, "kubectl get pods")
    assert "The connection to the server localhost:8080 was refused" in refused


def test_delete_with_quiet_skips_the_prompt():
    sim = make_sim()
    text = ok(sim, f"gcloud container clusters delete demo --zone={ZONE} --quiet")
    assert "Do you want to continue" not in text
    assert "Deleting cluster demo...done." in text


def test_delete_unknown_cluster_changes_nothing():
    sim = make_sim()
    fails(sim, f"gcloud container clusters delete nope --zone={ZONE}")
    assert list(sim.clusters) == ["demo"]


def test_resize_up_adds_nodes():
    sim = make_sim()
    text = ok(sim, f"gcloud container clusters resize demo --num-nodes=5 --zone={ZONE}")
    assert "Resizing demo...done." in text
    assert len(cluster(sim).nodes) == 5
    assert table_rows(ok(sim, "gcloud container clusters list"))[0]["NUM_NODES"] == "5"


def test_resize_down_removes_nodes_and_their_pods_are_replaced():
    sim = make_sim(nodes=3)
    deploy(sim, replicas=6)
    ok(sim, f"gcloud container clusters resize demo --num-nodes=2 --zone={ZONE}")
    remaining = set(cluster(sim).nodes)
    assert len(remaining) == 2
    assert all(p.node in remaining for p in cluster(sim).pods.values() if p.node)
    sim.advance(60)
    pods = running(sim, "web")
    assert len(pods) == 6
    assert {p.node for p in pods} <= remaining


def test_resize_requires_a_size():
    sim = make_sim()
    text = fails(sim, f"gcloud container clusters resize demo --zone={ZONE}")
    assert "--num-nodes" in text


def test_resize_above_node_limit_is_refused():
    sim = make_sim()
    text = fails(sim, f"gcloud container clusters resize demo --num-nodes=51 --zone={ZONE}")
    assert has_hangul(text)
    assert len(cluster(sim).nodes) == 3


def test_get_credentials_switches_kubectl_context():
    sim = make_sim()
    ok(sim, f"gcloud container clusters create second --num-nodes=1 --zone={ZONE}")
    assert ok(sim, "kubectl config current-context") == f"gke_k8s-learning_{ZONE}_second"
    text = ok(sim, f"gcloud container clusters get-credentials demo --zone={ZONE}")
    assert text == "Fetching cluster endpoint and auth data.\nkubeconfig entry generated for demo."
    assert ok(sim, "kubectl config current-context") == f"gke_k8s-learning_{ZONE}_demo"
    assert len(table_rows(ok(sim, "kubectl get nodes"))) == 3


def test_get_credentials_for_unknown_cluster_fails():
    sim = make_sim()
    assert "code=404" in fails(sim, f"gcloud container clusters get-credentials nope --zone={ZONE}")


def test_node_pools_create_list_delete():
    sim = make_sim(nodes=2)
    text = ok(sim, f"gcloud container node-pools create big --cluster=demo --zone={ZONE} "
                   "--machine-type=e2-standard-4 --num-nodes=1")
    assert "Creating node pool big...done." in text
    big = [n for n in cluster(sim).nodes.values() if n.pool == "big"]
    assert len(big) == 1 and big[0].machine_type == "e2-standard-4"
    assert big[0].labels["cloud.google.com/gke-nodepool"] == "big"
    rows = table_rows(ok(sim, f"gcloud container node-pools list --cluster=demo --zone={ZONE}"))
    assert [(r["NAME"], r["MACHINE_TYPE"]) for r in rows] == [("default-pool", "e2-medium"), ("big", "e2-standard-4")]
    text = ok(sim, f"gcloud container node-pools delete big --cluster=demo --zone={ZONE}")
    assert "Deleting node pool big...done." in text
    assert len(cluster(sim).nodes) == 2
    assert all(p.node in cluster(sim).nodes for p in cluster(sim).pods.values() if p.node)


def test_node_pools_create_duplicate_is_409():
    sim = make_sim()
    assert "code=409" in fails(sim, f"gcloud container node-pools create default-pool --cluster=demo --zone={ZONE}")


def test_node_pools_need_a_cluster():
    sim = make_sim()
    assert "--cluster" in fails(sim, f"gcloud container node-pools list --zone={ZONE}")


def test_resize_with_two_pools_needs_node_pool():
    sim = make_sim(nodes=1)
    ok(sim, f"gcloud container node-pools create extra --cluster=demo --zone={ZONE} --num-nodes=1")
    assert "--node-pool" in fails(sim, f"gcloud container clusters resize demo --num-nodes=2 --zone={ZONE}")
    ok(sim, f"gcloud container clusters resize demo --node-pool=extra --num-nodes=2 --zone={ZONE}")
    assert sum(n.pool == "extra" for n in cluster(sim).nodes.values()) == 2


def test_deleting_a_pool_reschedules_its_workload():
    sim = make_sim(nodes=1)
    ok(sim, f"gcloud container node-pools create extra --cluster=demo --zone={ZONE} --num-nodes=2")
    deploy(sim, replicas=4)
    ok(sim, f"gcloud container node-pools delete extra --cluster=demo --zone={ZONE} --quiet")
    sim.advance(60)
    pods = live_pods(sim, "web")
    assert len(pods) == 4
    assert {p.node for p in pods if p.node} <= set(cluster(sim).nodes)


def test_unsupported_gcloud_group_answers_in_korean():
    sim = Simulation(seed=1)
    text = fails(sim, "gcloud compute instances list")
    assert has_hangul(text)


def test_unknown_clusters_verb_is_invalid_choice():
    sim = Simulation(seed=1)
    assert "Invalid choice: 'explode'" in fails(sim, "gcloud container clusters explode")


def test_node_limit_counts_across_pools():
    sim = make_sim(nodes=3, limits=Limits(max_nodes_per_cluster=4))
    text = fails(sim, f"gcloud container node-pools create extra --cluster=demo --zone={ZONE} --num-nodes=2")
    assert has_hangul(text)
    assert len(cluster(sim).nodes) == 3
