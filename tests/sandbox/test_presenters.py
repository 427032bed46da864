"""What the live region shows, computed from real simulations (no database needed)."""

from types import SimpleNamespace

from orchestrator import Simulation
from orchestrator.goals import GoalResult
from sandbox import presenters
from sandbox.exercises import Check, ExerciseText, Guide, Outcome
from sandbox.moves import next_image
from sandbox.presenters import live_context, usage_bar

SANDBOX = SimpleNamespace(speed=5, paused=False)


def web() -> Simulation:
    return Simulation.from_scenario("web-behind-lb", seed=3)


def ctx_of(sim, outcomes=(), guide=None) -> dict:
    return live_context(SANDBOX, sim, list(outcomes), guide)


def user_chips(ctx) -> list[dict]:
    return [chip for node in ctx["nodes"] for chip in node["pods"]]


def moves_of(ctx) -> list[str]:
    out = [node["move"]["command"] for node in ctx["nodes"]]
    out += [m["command"] for d in ctx["deployments"] for m in d["moves"] + d["faults"]]
    out += [m["command"] for p in ctx["pools"] for m in p["moves"]]
    return out


def test_each_node_gets_a_card_with_its_facts_and_requested_vs_allocatable():
    sim = web()
    ctx = ctx_of(sim)
    cluster = sim.current_cluster()
    assert len(ctx["nodes"]) == 3
    for card in ctx["nodes"]:
        node = cluster.nodes[card["name"]]
        assert card["zone"] == "asia-northeast3-a" and card["machine_type"] == "e2-medium"
        assert card["status"] == "Ready" and card["state"] == "ready" and card["state_label"] == "정상"
        assert card["cpu"]["requested"] == node._req_cpu and card["cpu"]["allocatable"] == node.cpu
        assert card["cpu"]["text"] == f"{node._req_cpu}m / {node.cpu}m"
        assert card["cpu"]["percent"] == node._req_cpu * 100 // node.cpu
        assert card["memory"]["text"].endswith("/ 2.7Gi")
        assert card["cpu"]["width"] in {f"w-{i}" for i in range(0, 101, 5)}
        assert card["pod_count"] == 1 and card["system_count"] == 4  # kube-system pods kept apart
        assert not card["managed"]


def test_pod_chips_carry_name_status_restarts_node_and_ip_for_tooltips_and_screen_readers():
    ctx = ctx_of(web())
    chips = user_chips(ctx)
    assert len(chips) == 3
    for chip in chips:
        assert chip["state"] == "running" and chip["glyph"] == "●" and chip["palette"] == "pal-0"
        assert chip["short"] == "web" and chip["name"].endswith(chip["suffix"])
        for part in (chip["name"], "Running", "재시작: 0회", chip["node"], chip["ip"]):
            assert part in chip["title"]
        assert chip["aria"].startswith(f"파드 {chip['name']}, Running, 준비됨")
        assert chip["id"] == f"pod-default-{chip['name']}"


def test_the_clock_and_speed_are_shown_as_text():
    ctx = ctx_of(web())
    assert ctx["clock"]["text"] == "1분 00초"
    assert ctx["clock"]["state"] == "5배속으로 진행 중"
    paused = live_context(SimpleNamespace(speed=1, paused=True), web(), [])
    assert paused["clock"]["state"] == "일시 정지"


def test_common_moves_are_the_exact_commands_a_learner_would_type():
    ctx = ctx_of(web())
    commands = moves_of(ctx)
    assert "kubectl scale deployment web --replicas=2" in commands
    assert "kubectl scale deployment web --replicas=4" in commands
    assert "kubectl set image deployment/web nginx=nginx:1.27-alpine" in commands
    assert "sim app crash web" in commands
    assert "kubectl rollout undo deployment/web" not in commands  # nothing to undo yet
    assert "gcloud container clusters resize demo --num-nodes=2 --node-pool=default-pool " \
           "--zone=asia-northeast3-a" in commands
    assert "gcloud container clusters resize demo --num-nodes=4 --node-pool=default-pool " \
           "--zone=asia-northeast3-a" in commands
    assert all(c.startswith("sim node fail gke-") for c in commands[:3])


def test_every_move_command_runs_cleanly_in_the_engine():
    for command in moves_of(ctx_of(web())):
        result = web().execute(command)
        assert result.ok, (command, result.text)


def test_after_a_rollout_undo_is_offered_and_works():
    sim = web()
    assert sim.execute("kubectl set image deployment/web nginx=nginx:1.26").ok
    sim.advance(30)
    deployment = ctx_of(sim)["deployments"][0]
    assert deployment["image"] == "nginx:1.26"
    undo = [m for m in deployment["moves"] if m["label"] == "롤백"]
    assert undo and undo[0]["command"] == "kubectl rollout undo deployment/web"
    rollout = [m for m in deployment["moves"] if m["id"] == "mv-rollout-default-web"]
    assert rollout[0]["command"] == "kubectl set image deployment/web nginx=nginx:1.27"
    assert sim.execute(undo[0]["command"]).ok


def test_next_image_takes_the_next_catalog_tag_and_keeps_the_spelling():
    assert next_image("nginx:1.26") == "nginx:1.27"
    assert next_image("docker.io/library/nginx:1.25") == "docker.io/library/nginx:1.26"
    assert next_image("us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0") == \
        "us-docker.pkg.dev/google-samples/containers/gke/hello-app:2.0"
    assert next_image("nginx:1.27-alpine") is None  # the newest: nothing to roll out to
    assert next_image("nginx") is None and next_image("nginx:latest") is None
    assert next_image("nginx:9.9") == "nginx:1.27-alpine"  # a tag that does not exist: offer a real one
    assert next_image("example.com/unknown:1") is None


def test_a_failed_node_turns_notready_and_offers_recovery_on_the_same_button():
    sim = web()
    before = ctx_of(sim)["nodes"][0]
    assert sim.execute(before["move"]["command"]).ok
    card = next(n for n in ctx_of(sim)["nodes"] if n["name"] == before["name"])
    assert card["down"] is True and card["status"] == "Ready"  # the control plane has not noticed yet
    sim.advance(60)
    card = next(n for n in ctx_of(sim)["nodes"] if n["name"] == before["name"])
    assert card["status"] == "NotReady" and card["state"] == "notready" and card["state_label"] == "응답 없음"
    assert card["move"]["command"] == f"sim node recover {before['name']}"
    assert card["move"]["id"] == before["move"]["id"]  # keyboard focus survives the swap


def test_a_cordoned_node_shows_scheduling_disabled():
    sim = web()
    name = ctx_of(sim)["nodes"][0]["name"]
    assert sim.execute(f"kubectl cordon {name}").ok
    card = next(n for n in ctx_of(sim)["nodes"] if n["name"] == name)
    assert card["status"] == "Ready,SchedulingDisabled" and card["state"] == "cordoned"


def test_a_crashing_app_shows_crashloopbackoff_chips_and_a_heal_move():
    sim = web()
    assert sim.execute("sim app crash web").ok
    sim.advance(60)
    ctx = ctx_of(sim)
    states = {chip["state"] for chip in user_chips(ctx)}
    assert "crash" in states
    chip = next(c for c in user_chips(ctx) if c["state"] == "crash")
    assert chip["label"] == "CrashLoopBackOff" and chip["glyph"].startswith("⚠") and chip["restarts"] >= 1
    deployment = ctx["deployments"][0]
    assert deployment["crashing"] is True
    assert {"command": "sim app heal web", "id": "mv-app-default-web"}.items() <= \
        next(m for m in deployment["moves"] if m["id"] == "mv-app-default-web").items()
    assert deployment["ready"] < deployment["desired"]


def test_pods_that_do_not_fit_wait_in_the_pending_tray_with_the_schedulers_reason():
    sim = web()
    assert sim.execute("kubectl set resources deployment web --requests=cpu=300m").ok
    assert sim.execute("kubectl scale deployment web --replicas=8").ok
    sim.advance(30)
    ctx = ctx_of(sim)
    assert len(ctx["pending"]) == 2 and ctx["pending_more"] == 0
    item = ctx["pending"][0]
    assert item["state"] == "pending" and item["label"] == "Pending" and item["node"] == "<none>"
    assert "Insufficient cpu" in item["reason"]
    assert item["explain"]["command"] == f"sim explain pod {item['name']}"
    assert all(node["cpu"]["percent"] >= 80 for node in ctx["nodes"])  # why they wait


def test_terminating_and_image_pull_errors_have_their_own_look():
    sim = web()
    assert sim.execute("kubectl scale deployment web --replicas=1").ok
    states = [c["state"] for c in user_chips(ctx_of(sim))]
    assert states.count("terminating") == 2
    terminating = next(c for c in user_chips(ctx_of(sim)) if c["state"] == "terminating")
    assert terminating["label"] == "Terminating" and terminating["status"] == "Terminating"
    sim.advance(40)
    assert sim.execute("kubectl set image deployment/web nginx=nginx:9.9").ok
    sim.advance(30)
    chip = next(c for c in user_chips(ctx_of(sim)) if c["state"] == "image")
    assert chip["label"] in ("ImagePullBackOff", "ErrImagePull") and chip["glyph"] == "⊘"


def test_services_show_type_address_endpoints_and_current_traffic():
    sim = web()
    assert sim.execute("sim traffic web 300").ok
    sim.advance(30)
    ctx = ctx_of(sim)
    assert [s["name"] for s in ctx["services"]] == ["web"]  # default/kubernetes stays out of the way
    svc = ctx["services"][0]
    assert svc["type"] == "LoadBalancer" and svc["external_ip"].startswith("34.")
    assert svc["endpoints"] == 3 and svc["selector"] == "app=web" and svc["palette"] == "pal-0"
    assert svc["rps_text"] == "300" and svc["served"] == "300" and svc["errors"] == "0"
    assert svc["traffic"]["service"] == "web" and svc["traffic"]["rps"] == 300
    assert svc["traffic"]["max"] >= 600 and svc["traffic"]["step"] >= 1
    assert [m["command"] for m in svc["presets"]] == ["sim traffic web 0", "sim traffic web 100",
                                                     "sim traffic web 1000"]
    chart = svc["chart"]
    assert not chart["empty"] and chart["paths"][1]["last"] == 300
    assert chart["id"] == "chart-svc-default-web" and chart["title"].startswith("web 트래픽")


def test_a_new_load_balancer_shows_pending_and_no_endpoints_show_as_zero():
    sim = Simulation.from_scenario("three-nodes", seed=1)
    assert sim.execute("kubectl create deployment api --image=httpd:2.4").ok
    assert sim.execute("kubectl expose deployment api --type=LoadBalancer --port=80").ok
    svc = ctx_of(sim)["services"][0]
    assert svc["external_ip"] == "<pending>" and svc["endpoints"] == 0
    assert svc["ports"].startswith("80:") and svc["ports"].endswith("/TCP")


def test_deployments_carry_charts_from_the_engines_metrics():
    sim = web()
    assert sim.execute("kubectl scale deployment web --replicas=5").ok
    sim.advance(60)
    deployment = ctx_of(sim)["deployments"][0]
    replicas = deployment["charts"]["replicas"]
    assert replicas["paths"][0]["last"] == 5 and replicas["paths"][1]["last"] == 5
    assert replicas["id"] == "chart-default-web-replicas" and "레플리카" in replicas["title"]
    assert "준비된 파드: 현재 5개" in replicas["summary"]
    assert deployment["charts"]["cpu"]["paths"][0]["last"] is not None


def test_deployment_colours_follow_sorted_names():
    sim = web()
    for name in ("zeta", "alpha"):
        assert sim.execute(f"kubectl create deployment {name} --image=nginx:1.27").ok
    ctx = ctx_of(sim)
    assert [(d["name"], d["palette"]) for d in ctx["deployments"]] == \
        [("alpha", "pal-0"), ("web", "pal-1"), ("zeta", "pal-2")]
    assert presenters.deployment_palette(sim.current_cluster()) == \
        presenters.deployment_palette(Simulation.from_dict(sim.to_dict()).current_cluster())


def test_a_deployment_in_another_namespace_gets_the_namespace_flag_and_no_sim_app_move():
    sim = web()
    assert sim.execute("kubectl create namespace shop").ok
    assert sim.execute("kubectl create deployment api --image=nginx:1.26 -n shop").ok
    api = next(d for d in ctx_of(sim)["deployments"] if d["name"] == "api")
    commands = [m["command"] for m in api["moves"]]
    assert "kubectl scale deployment api --replicas=2 -n shop" in commands
    assert "kubectl set image deployment/api nginx=nginx:1.27 -n shop" in commands
    assert not any(c.startswith("sim app") for c in commands)
    for command in commands:
        assert sim.execute(command).ok, command


def test_pods_per_node_are_capped_with_a_count_of_the_rest():
    sim = Simulation.from_scenario({"clusters": [{"name": "big", "location": "asia-northeast3-a", "nodes": [
        {"name": "node-1", "cpu": "16", "memory": "64Gi"}]}],
        "commands": ["kubectl create deployment web --image=nginx:1.27 --replicas=45"], "advance": 10})
    node = ctx_of(sim)["nodes"][0]
    assert len(node["pods"]) == presenters.MAX_PODS_PER_NODE
    assert node["pods_more"] == 45 - presenters.MAX_PODS_PER_NODE and node["pod_count"] == 45


def test_events_come_newest_first_and_are_capped():
    sim = web()
    assert sim.execute("sim app crash web").ok
    sim.advance(120)
    events = ctx_of(sim)["events"]
    assert 0 < len(events) <= presenters.MAX_EVENTS
    cluster = sim.current_cluster()
    lasts = [sim.time - e.last for e in cluster.events]
    assert events[0]["last_seen"] in {presenters.human_duration(x) for x in lasts}
    ages = [int(e["last_seen"].rstrip("s")) for e in events if e["last_seen"].endswith("s")
            and e["last_seen"][:-1].isdigit()]
    assert ages == sorted(ages)
    warning = next(e for e in events if e["warning"])
    assert warning["type"] == "Warning" and warning["object"].startswith("pod/web-")


def test_exercises_become_a_panel_with_the_lessons_own_words():
    """Done is what was ever reached; the current exercise is the first not done; hints come only from the guide."""
    held = Outcome("web 레플리카 3개", GoalResult(True, "준비된 레플리카가 3개입니다."),
                   (Check("web 디플로이먼트가 있다", True),), done=True)
    lapsed = Outcome("app 디플로이먼트", GoalResult(False, "app이 없습니다."),
                     (Check("app 디플로이먼트가 있다", False),), done=True)
    todo = Outcome("둘 다", GoalResult(False, "하나가 남았습니다."),
                   (Check("하나", True), Check("둘", False)))
    guide = Guide(exercises=(ExerciseText("make-web", "web을 만들어 보자.", ("힌트 하나",), ("kubectl get pods",)),),
                  quiz_url="/lessons/x/#quiz-title", next_url="/lessons/y/", next_title="2. 다음")
    panel = ctx_of(web(), [held, lapsed, todo], guide)["exercises"]
    assert (panel["done"], panel["total"], panel["current"], panel["all_done"]) == (2, 3, 2, False)
    first, second, third = panel["items"]
    assert first == {"number": 1, "id": "ex-make-web", "prompt": "web을 만들어 보자.", "hints": ["힌트 하나"],
                     "solution": ["kubectl get pods"], "picture": None, "done": True, "holds": True, "current": False,
                     "checks": [{"text": "web 디플로이먼트가 있다", "holds": True}]}
    assert (second["done"], second["holds"], second["prompt"], second["hints"]) == (True, False, "app 디플로이먼트", [])
    assert third["current"] and [c["holds"] for c in third["checks"]] == [True, False]
    assert panel["links"]["next_url"] == "/lessons/y/"
    assert ctx_of(web())["exercises"]["items"] == []


def test_several_clusters_give_a_switcher_of_use_context_commands():
    sim = web()
    assert sim.execute("gcloud container clusters create second --num-nodes=1 --zone=asia-northeast3-b").ok
    ctx = ctx_of(sim)
    assert [(c["cluster"], c["current"]) for c in ctx["contexts"]] == [("demo", False), ("second", True)]
    switch = ctx["contexts"][0]
    assert switch["command"] == "kubectl config use-context gke_k8s-learning_asia-northeast3-a_demo"
    assert sim.execute(switch["command"]).ok
    assert ctx_of(sim)["cluster"]["name"] == "demo"


def test_autopilot_nodes_are_managed_and_cannot_be_resized():
    sim = Simulation.from_scenario("autopilot", seed=2)
    ctx = ctx_of(sim)
    assert ctx["cluster"]["autopilot"] and ctx["cluster"]["mode"] == "Autopilot"
    assert ctx["cluster"]["location_kind"] == "리전"
    assert ctx["nodes"] and all(node["managed"] for node in ctx["nodes"])
    assert ctx["pools"] == []


def test_a_regional_pool_resizes_per_zone_with_the_region_flag():
    sim = Simulation.from_scenario("regional", seed=2)
    pool = ctx_of(sim)["pools"][0]
    assert pool["zones"] == 3 and pool["size_per_zone"] == 1 and pool["nodes"] == 3
    commands = [m["command"] for m in pool["moves"]]
    assert commands == [
        "gcloud container clusters resize seoul --num-nodes=0 --node-pool=default-pool --region=asia-northeast3",
        "gcloud container clusters resize seoul --num-nodes=2 --node-pool=default-pool --region=asia-northeast3",
    ]
    assert sim.execute(commands[1]).ok and len(sim.current_cluster().nodes) == 6


def test_an_empty_project_offers_to_create_a_cluster():
    sim = Simulation.from_scenario("empty-project")
    ctx = ctx_of(sim)
    assert ctx["cluster"] is None and ctx["nodes"] == [] and ctx["services"] == []
    assert ctx["starter"]["command"].startswith("gcloud container clusters create demo")
    assert sim.execute(ctx["starter"]["command"]).ok


def test_usage_bar_widths_come_in_steps_of_five_and_never_hide_a_small_request():
    assert usage_bar(0, 1000, str)["width"] == "w-0"
    assert usage_bar(10, 1000, str)["width"] == "w-5"
    assert usage_bar(333, 1000, str)["width"] == "w-35" and usage_bar(333, 1000, str)["percent"] == 33
    assert usage_bar(950, 1000, str)["level"] == "high" and usage_bar(750, 1000, str)["level"] == "mid"
    assert usage_bar(1200, 1000, str)["width"] == "w-100"
    assert usage_bar(5, 0, str)["percent"] == 0


def test_element_ids_are_unique_so_htmx_can_keep_focus_across_swaps():
    sim = web()
    assert sim.execute("kubectl set resources deployment web --requests=cpu=300m").ok
    assert sim.execute("kubectl scale deployment web --replicas=8").ok
    sim.advance(30)
    ctx = ctx_of(sim)
    ids = [n["move"]["id"] for n in ctx["nodes"]] + [c["id"] for c in user_chips(ctx)]
    ids += [m["id"] for d in ctx["deployments"] for m in d["moves"]]
    ids += [m["id"] for p in ctx["pools"] for m in p["moves"]]
    ids += [p["explain"]["id"] for p in ctx["pending"]] + [p["id"] for p in ctx["pending"]]
    ids += [m["id"] for s in ctx["services"] for m in s["presets"]]
    assert len(ids) == len(set(ids))


def test_charts_end_at_the_latest_sample_and_are_drawn_once_per_sample():
    sim = Simulation.from_scenario("three-nodes", seed=3)
    sim.run("kubectl create deployment web --image=nginx:1.27 --replicas=2")
    sim.advance(61)  # one second past a sample
    first = ctx_of(sim)["deployments"][0]["charts"]
    sim.advance(2)  # still before the next sample: the same picture
    second = ctx_of(sim)["deployments"][0]["charts"]
    assert first["cpu"]["paths"] == second["cpu"]["paths"] and first["cpu"] is not second["cpu"]
    first["cpu"]["title"] = "changed by one caller"
    assert ctx_of(sim)["deployments"][0]["charts"]["cpu"]["title"] != "changed by one caller"
    sim.advance(3)  # a new sample: the chart moves on
    third = ctx_of(sim)["deployments"][0]["charts"]
    assert third["cpu"]["paths"] != second["cpu"]["paths"]


def test_a_target_picture_draws_numbered_nodes_with_coloured_dots_and_says_it_in_words():
    sim = Simulation.from_scenario("three-nodes", seed=1)
    for line in ("kubectl create deployment web --image=nginx:1.27 --replicas=4",
                 "kubectl create deployment cache --image=redis:7.4 --replicas=24", "sim advance 30"):
        assert sim.execute(line).ok
    node = sorted(sim.current_cluster().nodes)[0]
    sim.execute(f"sim node fail {node}")
    sim.advance(60)  # past the node monitor's grace period: NotReady
    picture = presenters.target_picture(sim)
    cluster = sim.current_cluster()
    assert [n["label"] for n in picture["nodes"]] == ["노드 1", "노드 2", "노드 3"]
    assert sum(not n["ready"] for n in picture["nodes"]) == 1
    placed = sum(len(n["pods"]) + n["more"] for n in picture["nodes"])
    pending = sum(1 for p in cluster.pods.values() if p.node is None and p.namespace == "default")
    assert picture["pending"] == pending > 0  # 24 caches at 100m each do not fit on three e2-medium nodes
    legend = {d["name"]: d for d in picture["legend"]}
    assert set(legend) == {"web", "cache"}
    assert legend["web"]["palette"] != legend["cache"]["palette"]
    assert sum(d["total"] for d in legend.values()) == placed
    assert "노드 3개(그중 1개 응답 없음)" in picture["summary"]
    assert f"배치되지 못한 파드 {pending}개" in picture["summary"]
    assert not any("web-" in str(n) for n in picture["nodes"])  # no pod names: another run names them otherwise


def test_an_exercise_with_a_picture_puts_it_in_the_panel_item():
    picture = {"nodes": [], "legend": [], "pending": 0, "summary": "노드 0개."}
    outcome = Outcome("x", GoalResult(False, ""), (Check("x", False),))
    guide = Guide((ExerciseText("a", "과제", picture=picture),))
    assert ctx_of(web(), [outcome], guide)["exercises"]["items"][0]["picture"] == picture
