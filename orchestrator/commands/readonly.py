"""Which command lines only look: they print, and leave the simulation exactly as it was.

A caller that keeps the state somewhere (the web app's database) need not write it again after such a
command. The tables are conservative: a form is listed only when no path through its handler changes
anything (no object, no clock, no random draw, no kubeconfig). ``kubectl rollout status`` is not listed, for
instance: it waits in simulated time. Unknown verbs are read-only because they are refused before anything
happens. tests/orchestrator/test_readonly.py and the engine fuzzing check every listed form against the
snapshot before and after.
"""

from __future__ import annotations

from .kubectl import knows

_HELP = {"-h", "--help", "help"}
_KUBECTL_VERBS = {"get", "describe", "top", "logs", "cluster-info", "version"}
_KUBECTL_ROLLOUT = {"history"}
_GCLOUD_CONTAINER = {("clusters", "list"), ("clusters", "describe"), ("node-pools", "list")}
_SIM = {"status", "explain", "cost"}


def reads_only(argv: list[str]) -> bool:
    """Does this command line (already split into words) leave the simulation untouched?"""
    if not argv:
        return True
    program, args = argv[0], argv[1:]
    if program in ("kubectl", "k"):
        return _kubectl(args)
    if program == "gcloud":
        return _gcloud(args)
    if program == "sim":
        return not args or args[0] in _HELP or args[0] in _SIM
    return True  # help, or a program the console does not have


def _kubectl(args: list[str]) -> bool:
    if not args or args[0] in _HELP:
        return True
    verb, rest = args[0], args[1:]
    if verb == "config":
        return not rest or rest[0] != "use-context"  # the only one that changes anything (kubeconfig.py)
    if verb == "rollout":
        return not rest or rest[0] in _KUBECTL_ROLLOUT
    return verb in _KUBECTL_VERBS or not knows(verb)


def _gcloud(args: list[str]) -> bool:
    if not args or args[0] in _HELP:
        return True
    if args[0] == "config":
        return len(args) < 2 or args[1] != "set"  # get-value, list, or refused
    if args[0] != "container" or len(args) < 3:
        return True  # refused: only gcloud container and gcloud config exist here
    return (args[1], args[2]) in _GCLOUD_CONTAINER
