"""A learner's persistent simulated cluster, and the log of what they typed into it."""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from orchestrator import Simulation

from . import statements

logger = logging.getLogger(__name__)

# A tab left open all night must not cost a burst of CPU when it comes back: at most this much simulated
# time is caught up per request.
MAX_CATCH_UP_SECONDS = 120
# A poll catches the simulation up with the wall clock but writes the snapshot only once this much simulated
# time is owed since the last write (well under MAX_CATCH_UP_SECONDS, which would otherwise stop the clock).
# In between, the snapshot plus last_advanced already say where the cluster is: nothing is lost by waiting.
SAVE_AFTER_SECONDS = 30
SPEEDS = (1, 5, 20)
COMMAND_LOG_KEPT = 500
PRUNE_EVERY = 50  # the log is pruned when a new entry's id is a multiple of this: now and then, not every time
# A token bucket per sandbox, kept on its row: COMMAND_RATE[0] commands at once, refilled at COMMAND_RATE[0]
# per COMMAND_RATE[1] seconds. It is read with the row and written in the UPDATE that saves the command.
COMMAND_RATE = (20, 10)
# Simulations kept per process (about 100 kB each for a lesson-sized cluster): the active sandboxes of a
# few classes. Any process can serve any sandbox, so a process finds the object it saved last only when it
# also served that sandbox's previous write; otherwise the snapshot is decoded as before.
SIMULATIONS_KEPT = 256
# ... and at most this much snapshot text between them (a decoded simulation takes a few times its text):
# one learner's huge cluster must not push everyone else's out, nor fill the process.
SIMULATIONS_BYTES = 32 * 2**20
# A snapshot larger than this is not written: the command that would make it is refused (a lesson's cluster
# is about 100 kB; thousands of objects would make every later request slow for that learner and the site).
MAX_SNAPSHOT_CHARS = 2_000_000
# A command's output is kept in the log up to this many characters (the console shows it whole when it runs).
STORED_OUTPUT_CHARS = 8_000
# A change that lost the race to save is worked out again from the newer state this many times; then
# PostgreSQL locks the row, and SQLite, which cannot lock one row, gives up (see run_atomically).
OPTIMISTIC_ATTEMPTS = 3
SQLITE_ATTEMPTS = 40
# Written with a change the learner cannot undo (a reset, an instructor's drill, an undo itself: one step).
NOTHING_TO_UNDO = {"undo_state": "", "undo_time": None, "undo_command": ""}


class _Simulations:
    """The simulations this process last used, by (sandbox id, version), each with the simulated time that
    version was saved at: the next request for the same version skips decoding the snapshot. A kept
    simulation may be ahead of its snapshot: a poll advances it to the wall clock without saving (see
    ``Sandbox.catch_up``), which is safe because the engine is deterministic, so a process that decodes the
    snapshot instead reaches exactly the same state. A request advances the object it takes, so ``take``
    removes it (under a lock, so no two threads ever hold the same object) until the request is done with it.
    A version saved by another process is never found here. Each is kept with its snapshot's length, which
    bounds the whole (SIMULATIONS_BYTES) as well as the count (SIMULATIONS_KEPT)."""

    def __init__(self):
        self.kept: OrderedDict[tuple, tuple[Simulation, float, int]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def take(self, pk, version: int) -> tuple[Simulation, float, int] | None:
        with self.lock:
            kept = self.kept.pop((pk, version), None)
            if kept is not None:
                self.size -= kept[2]
            return kept

    def peek_time(self, pk, version: int) -> tuple[float, float] | None:
        """(the kept simulation's time, its version's saved time), without taking it."""
        with self.lock:
            kept = self.kept.get((pk, version))
            return (kept[0].time, kept[1]) if kept else None

    def keep(self, pk, version: int, sim: Simulation, size: int) -> None:
        """Keep ``sim`` as ``version`` once the transaction that saved it commits (never if it rolls back)."""
        saved_time = sim.time
        transaction.on_commit(lambda: self.put((pk, version), sim, saved_time, size))

    def put(self, key: tuple, sim: Simulation, saved_time: float, size: int) -> None:
        with self.lock:
            old = self.kept.pop(key, None)
            if old is not None:
                self.size -= old[2]
            self.kept[key] = (sim, saved_time, size)
            self.size += size
            while len(self.kept) > 1 and (len(self.kept) > SIMULATIONS_KEPT or self.size > SIMULATIONS_BYTES):
                self.size -= self.kept.popitem(last=False)[1][2]


_simulations = _Simulations()


class Conflict(Exception):
    """Someone else changed the sandbox between our read and our write; the caller retries."""


class UnreadableSnapshot(Exception):
    """The stored snapshot cannot be decoded: damaged, or written by an engine with another schema. Nothing is
    changed; the learner can start the scenario again (``Sandbox.start_over``) and keeps the command log."""


class SnapshotTooLarge(Exception):
    """The change would make a snapshot over MAX_SNAPSHOT_CHARS: nothing is written, the learner is told."""


class TooManyCommands(Exception):
    """The sandbox's command bucket is empty: the learner has to wait a moment."""


class SandboxQuerySet(models.QuerySet):
    def owned_by(self, request) -> SandboxQuerySet:
        """The sandboxes of the signed-in user, or of this browser session when anonymous."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return self.filter(owner_user=user)
        key = request.session.session_key
        if not key:
            return self.none()
        return self.filter(owner_user__isnull=True, owner_session=key)

    def without_state(self) -> SandboxQuerySet:
        """Rows without the engine snapshots, the big columns: a poll served from the cache never needs them
        (``simulation()`` reads the current one if so; only an undo reads the one before)."""
        return self.defer("state", "undo_state")


class Sandbox(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="sandboxes")
    owner_session = models.CharField(max_length=64, blank=True, db_index=True)
    scenario = models.CharField(max_length=64)
    lesson = models.CharField(max_length=100, blank=True)
    goals = models.JSONField(default=list, blank=True)
    # Simulation.to_json() text, kept as written: PostgreSQL's jsonb would reorder the keys, and the engine's
    # dicts iterate in their order, so a process decoding a reordered snapshot could reach another world than
    # the process that kept the simulation (tests/sandbox/test_views.py checks the two agree).
    state = models.TextField()
    # One step back: the snapshot as it stood before the learner's last command that changed the cluster,
    # the simulated time that command ran at (the snapshot caught up to it is exactly the cluster the command
    # met: the engine is deterministic) and the command. Read only to undo it.
    undo_state = models.TextField(blank=True, default="")
    undo_time = models.FloatField(null=True, blank=True)
    undo_command = models.CharField(max_length=200, blank=True, default="")
    version = models.PositiveIntegerField(default=0)
    speed = models.PositiveSmallIntegerField(default=1)
    paused = models.BooleanField(default=False)
    last_advanced = models.DateTimeField(default=timezone.now)
    command_tokens = models.FloatField(default=COMMAND_RATE[0])
    command_tokens_at = models.DateTimeField(null=True, blank=True)  # when command_tokens was last counted
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["-updated"]
        verbose_name = "샌드박스"
        verbose_name_plural = "샌드박스"

    def __str__(self) -> str:
        return f"{self.scenario} ({self.id})"

    @classmethod
    def start(cls, scenario: str, *, user=None, session_key: str = "", lesson: str = "",
              goals: list | None = None) -> Sandbox:
        """A new sandbox set up from a named engine scenario."""
        sim = Simulation.from_scenario(scenario, seed=uuid.uuid4().int % 2**31)
        state = sim.to_json()
        sandbox = cls.objects.create(owner_user=user if user and user.is_authenticated else None,
                                     owner_session="" if user and user.is_authenticated else session_key,
                                     scenario=scenario, lesson=lesson, goals=goals or [], state=state)
        _simulations.keep(sandbox.pk, sandbox.version, sim, len(state))
        return sandbox

    @classmethod
    def read(cls, pk, snapshot: bool = True) -> Sandbox | None:
        """The row with this id (None if there is none), as ``Sandbox.objects.without_state()`` reads it, or
        with ``snapshot`` whole (the snapshot's text, which ``simulation()`` decodes only if this process does
        not keep that version's simulation). Every poll and command starts here: see statements.py."""
        return statements.read(cls, pk, deferred=("undo_state",) if snapshot else ("state", "undo_state"))

    def belongs_to(self, request) -> bool:
        """Is this the signed-in user's sandbox, or this browser session's when anonymous? The same test as
        ``Sandbox.objects.owned_by(request)``, for a row already read by its id."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return self.owner_user_id == user.pk
        key = request.session.session_key
        return bool(key) and self.owner_user_id is None and self.owner_session == key

    def simulation(self) -> Simulation:
        """The engine at this version, for the caller to advance or change, and then save (or ``release``).
        When the row was read without its snapshot and this process does not keep the simulation, the
        snapshot of exactly this version is read; if the sandbox moved on meanwhile, the whole row is read
        again (the caller then works on, and saves against, the newer version)."""
        kept = _simulations.take(self.pk, self.version)
        if kept is not None:
            sim, self._saved_time, self._snapshot_size = kept
            return sim
        sim = self._decode()
        self._saved_time = sim.time
        self._snapshot_size = len(self.state)
        return sim

    def release(self, sim: Simulation) -> None:
        """Hand ``sim`` (this version's, perhaps caught up further without saving) back to this process's
        cache, once the request has finished reading it."""
        _simulations.put((self.pk, self.version), sim, getattr(self, "_saved_time", sim.time),
                         getattr(self, "_snapshot_size", 0))

    def _decode(self) -> Simulation:
        if "state" in self.get_deferred_fields():
            state = Sandbox.objects.filter(pk=self.pk, version=self.version).values_list("state", flat=True).first()
            if state is None:
                self.refresh_from_db()
                return self._decode()
            self.state = state
        try:
            return Simulation.from_json(self.state)
        except Exception as exc:  # whatever is wrong with it, the learner's page must still open
            logger.warning("sandbox %s: unreadable snapshot (%s: %s)", self.pk, type(exc).__name__, exc)
            raise UnreadableSnapshot from exc

    def start_over(self) -> None:
        """Write the scenario afresh (with a new seed) over a snapshot that cannot be read. Nothing of the old
        state can be kept, so nothing is compared: the version moves on, and every process drops what it had."""
        sim = Simulation.from_scenario(self.scenario, seed=uuid.uuid4().int % 2**31)
        now = timezone.now()
        statements.update(Sandbox, {"state": sim.to_json(), "last_advanced": now, "updated": now, **NOTHING_TO_UNDO},
                          where={"id": self.pk}, increment=("version",))

    def _due_seconds(self, now=None) -> int:
        """Whole simulated seconds owed since the last request: wall time × speed, capped; 0 when paused."""
        if self.paused:
            return 0
        seconds = min(((now or timezone.now()) - self.last_advanced).total_seconds() * self.speed,
                      MAX_CATCH_UP_SECONDS)
        return int(seconds) if seconds >= 1 else 0

    def due(self, now=None) -> bool:
        """Is simulated time owed since this version was saved?"""
        return self._due_seconds(now) > 0

    def time_now(self, now=None) -> float | None:
        """The simulated time this sandbox is at now, if this process keeps its simulation (else None)."""
        kept = _simulations.peek_time(self.pk, self.version)
        return None if kept is None else max(kept[0], kept[1] + self._due_seconds(now))

    def should_save(self, now=None) -> bool:
        """Has enough simulated time passed since the last write that a poll should write the snapshot?"""
        return self._due_seconds(now) >= SAVE_AFTER_SECONDS

    def catch_up(self, sim: Simulation, now=None) -> bool:
        """Advance ``sim`` to where this version's saved time plus the wall time since ``last_advanced`` ×
        speed (capped) puts it; a simulation that earlier polls already moved ahead only advances the rest.
        True if time moved."""
        behind = getattr(self, "_saved_time", sim.time) + self._due_seconds(now) - sim.time
        if behind < 1:
            return False
        sim.advance(int(behind))
        return True

    def save_state(self, sim: Simulation, keep: bool = True, undoable: tuple[str, float] | None = None,
                   **fields) -> None:
        """Write the new snapshot only if nobody else wrote since we read (optimistic concurrency). With
        ``keep`` the simulation goes back to this process's cache when the transaction commits; without, the
        caller hands it back with ``release`` once done reading it. A command spending a token also checks
        the bucket's timestamp: a look (``save_look``) spends one without moving the version. ``undoable``
        is (the command, the simulated time it ran at) for a learner's command that changed the cluster: the
        snapshot being replaced is kept, in the same statement, to undo it (``before_last_command``)."""
        state = sim.to_json()
        if len(state) > MAX_SNAPSHOT_CHARS:
            raise SnapshotTooLarge
        fields.setdefault("last_advanced", timezone.now())
        copy = None
        if undoable is not None:
            fields.update(undo_command=undoable[0][:200], undo_time=undoable[1])
            copy = {"undo_state": "state"}
        where = {"id": self.pk, "version": self.version}
        if "command_tokens_at" in fields:
            where["command_tokens_at"] = self.command_tokens_at
        updated = statements.update(Sandbox, {"state": state, "updated": timezone.now(), **fields},
                                    where=where, increment=("version",), copy=copy)
        if not updated:
            raise Conflict
        self.version += 1
        self.__dict__.pop("state", None)  # deferred: read again if anyone asks, never a stale copy
        self._saved_time = sim.time
        self._snapshot_size = len(state)
        for name, value in fields.items():
            setattr(self, name, value)
        if keep:
            _simulations.keep(self.pk, self.version, sim, len(state))

    def save_look(self, sim: Simulation, **fields) -> None:
        """After a command that changed nothing (``CommandResult.changed`` False): write ``fields`` (the
        command's token) but not the snapshot, which still says where the cluster is, exactly as between two
        polls; ``sim``, perhaps caught up further, goes back to this process's cache on commit. Raises
        Conflict if the row moved since it was read: a save, or another command's token (the bucket's
        timestamp is compared, so that two commands at once cannot both spend the same token)."""
        updated = statements.update(Sandbox, {"updated": timezone.now(), **fields},
                                    where={"id": self.pk, "version": self.version,
                                           "command_tokens_at": self.command_tokens_at})
        if not updated:
            raise Conflict
        for name, value in fields.items():
            setattr(self, name, value)
        key, saved_time = (self.pk, self.version), getattr(self, "_saved_time", sim.time)
        size = getattr(self, "_snapshot_size", 0)
        transaction.on_commit(lambda: _simulations.put(key, sim, saved_time, size))

    def fresh(self) -> Sandbox:
        return Sandbox.objects.defer("undo_state").get(pk=self.pk)

    def before_last_command(self) -> Simulation | None:
        """The cluster exactly as the last changing command met it, rebuilt from the snapshot kept before it
        (None when there is nothing to undo, or that snapshot cannot be read). Reads this version's row: if
        the sandbox moved on meanwhile, the save that follows fails and the caller tries again."""
        kept = (Sandbox.objects.filter(pk=self.pk, version=self.version)
                .values_list("undo_state", "undo_time").first())
        if not kept or not kept[0] or kept[1] is None:
            return None
        try:
            sim = Simulation.from_json(kept[0])
        except Exception as exc:  # as in _decode: an engine upgrade may leave an old snapshot behind
            logger.warning("sandbox %s: unreadable undo snapshot (%s: %s)", self.pk, type(exc).__name__, exc)
            return None
        behind = round(kept[1] - sim.time)
        if behind > 0:
            sim.advance(behind)
        return sim

    def command_tokens_now(self, now=None) -> float:
        """The bucket as it stands now: what was left at the last command plus the refill since, capped."""
        capacity, window = COMMAND_RATE
        if self.command_tokens_at is None:
            return float(capacity)
        elapsed = max(0.0, ((now or timezone.now()) - self.command_tokens_at).total_seconds())
        return min(float(capacity), self.command_tokens + elapsed * capacity / window)

    def too_many_commands(self, now=None) -> bool:
        return self.command_tokens_now(now) < 1

    def _spend_command_token(self) -> dict:
        """The fields that take one command from the bucket, for the UPDATE that saves the command."""
        now = timezone.now()
        tokens = self.command_tokens_now(now)
        if tokens < 1:
            raise TooManyCommands
        return {"command_tokens": tokens - 1, "command_tokens_at": now}

    def log_command(self, text: str, output: str, ok: bool, source: str, sim_time: float,
                    request_id: str = "") -> CommandLog:
        if len(output) > STORED_OUTPUT_CHARS:
            cut = output.rfind("\n", 0, STORED_OUTPUT_CHARS)
            kept = output[:cut if cut > 0 else STORED_OUTPUT_CHARS]
            output = (f"{kept}\n… 출력이 길어 기록에는 앞부분 {len(kept):,}자만 남겼습니다 "
                      f"(전체 {len(output):,}자). 명령을 다시 실행하면 전부 볼 수 있습니다.")
        entry = statements.insert(CommandLog(sandbox=self, text=text, output=output, ok=ok, source=source,
                                             sim_time=sim_time, request_id=request_id))
        if entry.pk % PRUNE_EVERY == 0:
            keep = self.commands.order_by("-pk").values_list("pk", flat=True)[COMMAND_LOG_KEPT:COMMAND_LOG_KEPT + 1]
            if keep:
                self.commands.filter(pk__lte=keep[0]).delete()
        return entry


def run_atomically(sandbox: Sandbox, change, then=None, command: bool = False, undoable: str = "",
                   **fields) -> tuple[Sandbox, Simulation, object]:
    """Load the snapshot, catch up on time, apply ``change(sandbox, sim) -> (sim, result)``, and save it
    together with ``fields``, so that no command is ever lost. ``then(sandbox, sim, result)`` runs in the same
    transaction after a successful save (one commit for the state and, say, its command log). Returns the
    saved sandbox, its simulation and the change's result. With ``command`` the change is a learner's
    command: it takes a token from the sandbox's bucket in the same UPDATE, or raises TooManyCommands before
    the engine runs when the bucket is empty. ``undoable`` names the command when, should it change the
    cluster, the learner may undo it (the state before it is kept).

    The engine works outside any transaction: on SQLite a write transaction holds the whole database's one
    write lock (IMMEDIATE), so one learner's long ``sim advance`` inside it would make every other learner
    wait. The transaction holds just the conditional save (the version check). When another request wrote
    first, the change is worked out again from the newer state. After OPTIMISTIC_ATTEMPTS such losses (many
    tabs pressing on one sandbox), PostgreSQL locks the row (SELECT ... FOR UPDATE, which holds up only this
    sandbox) and works under the lock, so it cannot lose again; SQLite has no row lock, so it keeps trying
    until SQLITE_ATTEMPTS and then raises Conflict (the view asks the learner to try again)."""
    attempts = SQLITE_ATTEMPTS if connection.vendor == "sqlite" else OPTIMISTIC_ATTEMPTS
    for attempt in range(attempts):
        if attempt:
            sandbox = sandbox.fresh()
        sim = sandbox.simulation()
        spend = sandbox._spend_command_token() if command else {}
        sandbox.catch_up(sim)
        ran_at = sim.time
        sim, result = change(sandbox, sim)
        with transaction.atomic():
            try:
                _save(sandbox, sim, result, fields, spend, (undoable, ran_at) if undoable else None)
            except Conflict:
                transaction.set_rollback(True)
                continue
            if then is not None:
                then(sandbox, sim, result)
            return sandbox, sim, result
    if connection.vendor == "sqlite":
        raise Conflict
    with transaction.atomic():
        sandbox = Sandbox.objects.select_for_update().defer("undo_state").get(pk=sandbox.pk)
        sim = sandbox.simulation()
        spend = sandbox._spend_command_token() if command else {}
        sandbox.catch_up(sim)
        ran_at = sim.time
        sim, result = change(sandbox, sim)
        _save(sandbox, sim, result, fields, spend, (undoable, ran_at) if undoable else None)
        if then is not None:
            then(sandbox, sim, result)
        return sandbox, sim, result


def _save(sandbox: Sandbox, sim: Simulation, result, fields: dict, spend: dict,
          undoable: tuple[str, float] | None) -> None:
    """A command that only looked (``kubectl get``, the most common kind) leaves the snapshot as it was, so
    only its token is written, unless the snapshot is due anyway (as a poll would write it)."""
    changed = getattr(result, "changed", True)
    if changed or fields or sandbox.should_save():
        # A failed command is not worth a step back: undo still goes to before the last one that worked.
        worked = changed and getattr(result, "ok", True)
        sandbox.save_state(sim, undoable=undoable if worked else None, **fields, **spend)
    else:
        sandbox.save_look(sim, **spend)


class CommandLog(models.Model):
    SOURCES = [("typed", "입력"), ("button", "버튼"), ("system", "시스템")]

    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="commands")
    text = models.TextField()
    output = models.TextField(blank=True)
    ok = models.BooleanField(default=True)
    source = models.CharField(max_length=10, choices=SOURCES, default="typed")
    sim_time = models.FloatField(default=0)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    # The console's id for one submission: a browser that re-sends a request after its connection broke
    # (say a web process died after saving) sends the same id, and the command is not applied twice.
    request_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sandbox", "request_id"], condition=~models.Q(request_id=""),
                                               name="command_applied_once_per_request")]
        ordering = ["pk"]
        verbose_name = "명령 기록"
        verbose_name_plural = "명령 기록"

    def __str__(self) -> str:
        return self.text[:60]


class GoalCompletion(models.Model):
    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="completions")
    goal_index = models.PositiveSmallIntegerField()
    completed_at = models.DateTimeField(auto_now_add=True)
    commands = models.PositiveIntegerField(default=0)  # commands the learner had run in this sandbox by then

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sandbox", "goal_index"], name="one_completion_per_goal")]
        verbose_name = "목표 달성"
        verbose_name_plural = "목표 달성"

    def __str__(self) -> str:
        return f"{self.sandbox_id} #{self.goal_index}"
