"""The short scripted session that the home page runs through the engine on every request."""

from functools import cache

from orchestrator import Simulation

SEED = 42

# A step is a command line, or an int: simulated seconds to let the controllers work.
SCRIPT: tuple[str | int, ...] = (
    "gcloud container clusters create demo --num-nodes=3 --zone=asia-northeast3-a",
    "kubectl create deployment web --image=nginx:1.27 --replicas=3",
    30,
    "kubectl get nodes",
    "kubectl get deployments",
    "kubectl get pods -o wide",
)


@cache
def run_showcase() -> tuple[tuple[str, str], ...]:
    """Run SCRIPT in a fresh simulation and return (command, output) for each command.

    The engine is deterministic, so the transcript is the same every time: it is computed once per process.
    """
    sim = Simulation(seed=SEED)
    transcript = []
    for step in SCRIPT:
        if isinstance(step, int):
            sim.advance(step)
        else:
            transcript.append((step, sim.run(step)))
    return tuple(transcript)
