"""A small, faithful, deterministic simulation of Kubernetes on Google Kubernetes Engine.

Plain Python with no web framework: the Django apps wrap it, tests drive it directly.

    >>> from orchestrator import Simulation
    >>> sim = Simulation(seed=7)
    >>> _ = sim.run("gcloud container clusters create demo --num-nodes=3 --zone=asia-northeast3-a")
    >>> sim.run("kubectl create deployment web --image=nginx:1.27 --replicas=3")
    'deployment.apps/web created'
"""

from . import goals
from .commands import CommandResult
from .limits import Limits
from .scenario import ScenarioError
from .scenario import names as scenario_names
from .simulation import Simulation

__all__ = ["CommandResult", "Limits", "ScenarioError", "Simulation", "goals", "scenario_names"]
