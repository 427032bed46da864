from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from django.core.cache import caches
from django.db import IntegrityError
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from orchestrator import CommandResult, Simulation, scenario_names
from orchestrator.scenario import load as load_scenario

from . import exercises, limits
from .models import (
    COMMAND_RATE,
    NOTHING_TO_UNDO,
    SPEEDS,
    CommandLog,
    Conflict,
    Sandbox,
    SnapshotTooLarge,
    TooManyCommands,
    UnreadableSnapshot,
    run_atomically,
)
from .presenters import add_fingerprints, fingerprint, live_context

CONSOLE_HISTORY = 40
# How often static/js/sandbox.js polls the live region (it reads the region's data-poll-ms): fast while
# something on screen is moving, slowly once the cluster is at rest (presenters.at_rest).
POLL_MS = 2000
POLL_AT_REST_MS = 8000
# Free-play sandboxes one learner (account or browser session) may keep; a lesson's sandbox is one per lesson.
FREE_SANDBOXES_PER_OWNER = 10
# static/js/sandbox.js fires sandbox-poll every 2 s while the tab is visible; a command fires sandbox-changed.
POLL_TRIGGER = "sandbox-poll, sandbox-changed from:body"
ANNOUNCEMENT_SHOWN_FOR = timedelta(minutes=10)  # entries shown again when the page is reloaded
REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")  # static/js/sandbox.js sends one per console submission
MAX_COMMAND_BYTES = 70_000  # the engine's own caps (a 2,000-character line, 64 KiB of manifest) come first
UNDO = "sim undo"  # handled here, not by the engine: only the sandbox keeps the snapshot before a command
NOTHING_TO_UNDO_MESSAGE = ("되돌릴 명령이 없습니다. 되돌리기는 클러스터를 바꾼 마지막 명령 하나만 취소하며, "
                           "처음으로 돌린 뒤나 강사의 장애 훈련 뒤에는 쓸 수 없습니다.")
BUSY = "같은 샌드박스에 다른 명령이 잇달아 저장되어 이 명령은 실행하지 않았습니다. 다시 실행해 보세요."
TOO_LARGE = ("클러스터 상태가 너무 커져서 이 명령은 적용하지 않았습니다(저장할 수 있는 크기는 약 2MB입니다).\n"
             "쓰지 않는 오브젝트를 지우거나 ‘처음으로’로 새로 시작해 보세요.")
UNREADABLE = ("이 샌드박스의 저장된 상태를 읽을 수 없어 실행하지 않았습니다.\n"
              "위의 ‘처음으로’를 누르면 같은 시나리오로 새로 시작합니다.")


def _scenarios() -> list[dict]:
    out = []
    for name in scenario_names():
        data = load_scenario(name)
        out.append({"name": name, "title": data.get("title", name), "description": data.get("description", "")})
    return out


def _owned(request, pk, snapshot: bool = True) -> Sandbox:
    """Only the owner sees a sandbox; everyone else gets the same 404 as for one that does not exist. The
    snapshot comes as text, decoded only when this process does not keep the simulation; a poll (``snapshot``
    False) usually needs neither and reads it only if so."""
    sandbox = Sandbox.read(pk, snapshot=snapshot)
    if sandbox is None or not sandbox.belongs_to(request):
        raise Http404("샌드박스를 찾을 수 없습니다.")
    return sandbox


def _session_key(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def _home(request, error: str = "", status: int = 200):
    """The scenarios, and the learner's own sandboxes: free ones (which they may delete), then their lessons'."""
    owned = list(Sandbox.objects.owned_by(request).without_state())
    free = [s for s in owned if not s.lesson]
    return render(request, "sandbox/home.html",
                  {"scenarios": _scenarios(), "sandboxes": free + [s for s in owned if s.lesson], "free": len(free),
                   "limit": FREE_SANDBOXES_PER_OWNER, "error": error}, status=status)


@require_http_methods(["GET", "POST"])
def sandbox_home(request):
    if request.method == "POST":
        name = request.POST.get("scenario", "")
        if name not in scenario_names():
            return _home(request, "고를 수 있는 시나리오가 아닙니다. 목록에서 골라 주세요.", status=400)
        if Sandbox.objects.owned_by(request).filter(lesson="").count() >= FREE_SANDBOXES_PER_OWNER:
            return _home(request, f"자유 실습 샌드박스는 {FREE_SANDBOXES_PER_OWNER}개까지 둘 수 있습니다. "
                                  "아래 ‘내 샌드박스’에서 쓰지 않는 것을 지운 뒤 다시 시작해 주세요.", status=409)
        sandbox = Sandbox.start(name, user=request.user, session_key=_session_key(request))
        return redirect("sandbox-detail", pk=sandbox.pk)
    return _home(request)


@require_POST
def sandbox_delete(request, pk):
    """A free-play sandbox goes for good (a lesson's stays: the lesson page would make it again at once)."""
    sandbox = _owned(request, pk, snapshot=False)
    if sandbox.lesson:
        return HttpResponse("레슨의 샌드박스는 지울 수 없습니다. 레슨 화면의 ‘처음으로’를 써 주세요.", status=400)
    Sandbox.objects.filter(pk=sandbox.pk).delete()
    return redirect("sandbox-home")


def _advance(sandbox: Sandbox) -> tuple[Sandbox, Simulation]:
    """Catch the sandbox up with the wall clock. The snapshot is written only every SAVE_AFTER_SECONDS of
    simulated time (models.py says why nothing is lost in between). The caller reads the simulation and then
    hands it back with ``sandbox.release(sim)``."""
    sim = sandbox.simulation()
    if sandbox.catch_up(sim) and sandbox.should_save():
        try:
            sandbox.save_state(sim, keep=False)
        except SnapshotTooLarge:
            pass  # the row still says where the cluster is (see models.py); the learner's next change is refused
        except Conflict:
            sandbox = sandbox.fresh()  # another request just saved; show that, caught up the same way
            sim = sandbox.simulation()
            sandbox.catch_up(sim)
    return sandbox, sim


def _csrf_key(request) -> str:
    """Names this session's CSRF secret in cache keys: a rendered form carries a token for it, which must
    never reach another session. ``get_token`` also renews the cookie, as ``{% csrf_token %}`` does. Worked
    out once per request (get_token masks a fresh token on every call)."""
    key = getattr(request, "_sandbox_csrf_key", None)
    if key is None:
        get_token(request)
        key = request._sandbox_csrf_key = hashlib.sha256(request.META["CSRF_COOKIE"].encode()).hexdigest()[:32]
    return key


def _live_key(sandbox: Sandbox, sim_time: float, oob: bool, csrf_key: str) -> str:
    # Every change to the snapshot, the speed or the pause bumps the version, and polls between saves move
    # the simulated time; the goals may be edited apart.
    return (f"sandbox-live:{sandbox.pk}:{sandbox.version}:{sim_time:g}:{sandbox.speed}:{sandbox.paused}:{oob}:"
            f"{fingerprint(sandbox.goals)}:{csrf_key}")


def _live(request, sandbox: Sandbox, sim: Simulation, oob: bool = False, key: str = "") -> str:
    csrf_key = _csrf_key(request)
    key = key or _live_key(sandbox, sim.time, oob, csrf_key)
    html = caches["live_regions"].get(key)
    if html is None:
        context = add_fingerprints(live_context(sandbox, sim, exercises.outcomes(sandbox, sim),
                                                exercises.guide_for(sandbox.lesson)))
        context.update(sandbox=sandbox, oob=oob, csrf_key=csrf_key, announcement=_announcement(sandbox),
                       command_url=reverse("sandbox-command", args=[sandbox.pk]),
                       poll_url=reverse("sandbox-poll", args=[sandbox.pk]), poll_trigger=POLL_TRIGGER,
                       poll_ms=POLL_AT_REST_MS if context["at_rest"] else POLL_MS)
        html = render_to_string("sandbox/live.html", context, request=request)
        caches["live_regions"].set(key, html)
    return html


def _announcement(sandbox: Sandbox) -> str:
    """The latest message the system (an instructor's drill) left in this sandbox's console, while recent:
    shown in the live region so a learner with the page open sees it without reloading. A drill writes its
    message in the same transaction as the state it changes, so the lookup holds for a whole version and is
    kept per version in this process; polls between saves then skip the query."""
    key = f"sandbox-announcement:{sandbox.pk}:{sandbox.version}"
    cache = caches["template_fragments"]
    found = cache.get(key)
    if found is None:
        since = timezone.now() - ANNOUNCEMENT_SHOWN_FOR
        entry = (sandbox.commands.filter(source="system", created__gte=since).order_by("-pk")
                 .values_list("output", "created").first())
        found = (entry[0], entry[1].timestamp()) if entry else ("", 0.0)
        cache.set(key, found)
    text, created = found
    return text if created >= (timezone.now() - ANNOUNCEMENT_SHOWN_FOR).timestamp() else ""


def widget_context(request, sandbox: Sandbox) -> dict:
    """Everything ``sandbox/widget.html#widget`` needs, for the sandbox page and for lesson pages."""
    history = list(sandbox.commands.order_by("-pk")[:CONSOLE_HISTORY])[::-1]
    guide = exercises.guide_for(sandbox.lesson) if sandbox.lesson else None
    context = {"sandbox": sandbox, "history": history, "speeds": SPEEDS, "guide": guide,
               "back_url": guide.lesson_url if guide else ""}
    try:
        sandbox, sim = _advance(sandbox)
    except UnreadableSnapshot:
        return {**context, "live": _unreadable(sandbox), "sim_time": None}
    live = _live(request, sandbox, sim)
    sandbox.release(sim)
    return {**context, "sandbox": sandbox, "live": live, "sim_time": sim.time}


def _unreadable(sandbox: Sandbox) -> str:
    """The live region's place when the snapshot cannot be read (it does not poll: nothing will change)."""
    return render_to_string("sandbox/widget.html#unreadable", {"sandbox": sandbox})


@require_GET
def sandbox_detail(request, pk):
    context = widget_context(request, _owned(request, pk))
    template = "sandbox/page.html"
    if request.htmx:
        template = "sandbox/widget.html#widget"
    return render(request, template, context)


def _etag(key: str) -> str:
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


@require_GET
@gzip_page  # the region is ~30 kB of markup that compresses about 7:1 (its CSRF tokens are masked per session)
def sandbox_poll(request, pk):
    sandbox = _owned(request, pk, snapshot=False)
    time_now = sandbox.time_now()
    if time_now is not None:
        # This process keeps the simulation and knows where the clock puts it: if that state was drawn
        # already, a browser that has it (its ETag names it and this session's CSRF secret) gets a 304,
        # which htmx hands on as a 200; otherwise it comes from this process's cache, without the engine or
        # the templates.
        key = _live_key(sandbox, time_now, False, _csrf_key(request))
        # gzip_page marks the ETag weak (W/"…"): the browser sends it back that way.
        if request.headers.get("If-None-Match", "").removeprefix("W/") == _etag(key):
            return _revalidate(HttpResponseNotModified(), key)
        html = caches["live_regions"].get(key)
        if html is not None:
            return _revalidate(HttpResponse(html), key)
    try:
        sandbox, sim = _advance(sandbox)
    except UnreadableSnapshot:
        return HttpResponse(_unreadable(sandbox))
    key = _live_key(sandbox, sim.time, False, _csrf_key(request))
    html = _live(request, sandbox, sim, key=key)
    sandbox.release(sim)
    return _revalidate(HttpResponse(html), key)


def _revalidate(response: HttpResponse, key: str) -> HttpResponse:
    # The browser may keep a poll's answer but must ask again every time (private: it holds CSRF tokens).
    response["ETag"] = _etag(key)
    response["Cache-Control"] = "private, no-cache"
    return response


def _command_text(request) -> str:
    service = request.POST.get("traffic_service", "").strip()
    if service:
        text = f"sim traffic {service} {request.POST.get('rps', '0').strip() or '0'}"
    else:
        text = request.POST.get("command", "").replace("\r\n", "\n").strip("\n").rstrip()
    # A NUL cannot reach a real shell's argv, and PostgreSQL refuses it in text columns: drop it here.
    return text.replace("\x00", "")


@require_POST
def sandbox_command(request, pk):
    sandbox = _owned(request, pk)
    text = _command_text(request)
    source = "button" if request.POST.get("source") == "button" else "typed"
    if len(text.encode()) > MAX_COMMAND_BYTES:
        return _entry(request, text[:200] + " …", f"입력이 너무 깁니다 (최대 {MAX_COMMAND_BYTES:,}바이트).", False,
                      status=413)
    if not text.strip():
        return _entry(request, "", "", True)
    request_id = request.POST.get("request_id", "")
    request_id = request_id if REQUEST_ID.fullmatch(request_id) else ""
    if request_id and (done := _already_applied(request, sandbox, request_id)):
        return done
    if sandbox.too_many_commands():
        return _too_many(request, text)
    wait = limits.take_command(request)
    if wait:
        response = _entry(request, text, limits.MESSAGE, False, status=429)
        response["Retry-After"] = str(wait)
        return response

    def change(sandbox, sim):
        return sim, sim.execute(text)

    def log(sandbox, sim, result):
        sandbox.log_command(text, result.text, result.ok, source, sim.time, request_id)

    # Time passing is not a step to take back (the time controls leave no undo point either).
    how = {} if text.split()[:2] == ["sim", "advance"] else {"undoable": text}
    if text.split() == UNDO.split():
        change, how = _undo, NOTHING_TO_UNDO
    try:
        sandbox, sim, result = run_atomically(sandbox, change, then=log, command=True, **how)
    except TooManyCommands:  # another tab's command took the last token since the check above
        return _too_many(request, text)
    except UnreadableSnapshot:
        return _entry(request, text, UNREADABLE, False, status=409)
    except Conflict:  # SQLite only, after many tabs' commands kept saving first: nothing was applied
        return _entry(request, text, BUSY, False, status=409)
    except SnapshotTooLarge:
        return _entry(request, text, TOO_LARGE, False, status=409)
    except IntegrityError:  # the same submission, re-sent, was saved meanwhile: this one rolled back
        done = _already_applied(request, sandbox, request_id) if request_id else None
        if done is None:
            raise
        return done
    if not request.htmx:
        return redirect(_back_to(request, sandbox))
    response = _entry(request, text, result.text, result.ok)
    # The console answers at once; the live region refreshes itself right after (it listens for this event),
    # so a command does not wait for the whole cluster view to be drawn.
    response["HX-Trigger"] = "sandbox-changed"
    return response


def _undo(sandbox: Sandbox, sim: Simulation) -> tuple[Simulation, CommandResult]:
    before = sandbox.before_last_command()
    if before is None:
        return sim, CommandResult(NOTHING_TO_UNDO_MESSAGE, ok=False, changed=False)
    return before, CommandResult(f"되돌렸습니다: {sandbox.undo_command}\n클러스터가 이 명령을 실행하기 직전으로 "
                                 f"돌아갔습니다(시뮬레이션 시간도 그때로).", ok=True)


def _already_applied(request, sandbox: Sandbox, request_id: str) -> HttpResponse | None:
    """The answer already given to this submission, if it was applied: a re-sent request gets it again."""
    entry = sandbox.commands.filter(request_id=request_id).first()
    if entry is None:
        return None
    response = _entry(request, entry.text, entry.output, entry.ok)
    response["HX-Trigger"] = "sandbox-changed"
    return response


def _too_many(request, command: str) -> HttpResponse:
    """The sandbox's own bucket is empty (models.COMMAND_RATE)."""
    response = _entry(request, command, "명령을 너무 빨리 보내고 있습니다. 몇 초 뒤에 다시 시도해 주세요.", False,
                      status=429)
    response["Retry-After"] = str(max(1, COMMAND_RATE[1] // COMMAND_RATE[0]))
    return response


def _entry(request, command: str, output: str, ok: bool, status: int = 200) -> HttpResponse:
    # No request context: the line needs none, and the context processors would cost more than the template.
    response = HttpResponse(render_to_string("sandbox/widget.html#console-entry",
                                             {"entry": CommandLog(text=command, output=output, ok=ok)}),
                            status=status)
    if status != 200:
        # htmx ignores error responses by default; the console still shows the message.
        response["HX-Reswap"] = "beforeend"
        response["HX-Retarget"] = "#console-log"
    return response


@require_POST
def sandbox_control(request, pk):
    sandbox = _owned(request, pk)
    action = request.POST.get("action") or ("speed" if "speed" in request.POST else "")
    fields = {}
    if action in ("pause", "resume"):
        fields["paused"] = action == "pause"
    elif action == "speed":
        try:
            speed = int(request.POST.get("speed", ""))
        except ValueError:
            speed = 0
        if speed not in SPEEDS:
            return HttpResponse("속도는 1, 5, 20배 중에서 고를 수 있습니다.", status=400)
        fields["speed"] = speed
    elif action not in ("advance", "reset"):
        return HttpResponse("알 수 없는 동작입니다.", status=400)

    def change(sandbox, sim):
        if action == "advance":
            sim.advance(30)
        elif action == "reset":
            sim = Simulation.from_scenario(sandbox.scenario, seed=sim.seed)
        return sim, None

    if action == "reset":
        fields.update(NOTHING_TO_UNDO)
    try:
        sandbox, sim, _ = run_atomically(sandbox, change, **fields)
    except Conflict:
        return HttpResponse(BUSY, status=409)
    except SnapshotTooLarge:
        return HttpResponse(TOO_LARGE, status=409)
    except UnreadableSnapshot:
        if action != "reset":
            return HttpResponse(UNREADABLE, status=409)
        sandbox.start_over()
    if action == "reset":
        # The console starts empty again; finished exercises stay finished (a reset is a fresh try, not a
        # loss of progress). The page the learner pressed it on is drawn again: a lesson stays a lesson.
        sandbox.commands.all().delete()
        if request.htmx:
            return HttpResponseClientRefresh()
    if not request.htmx:
        return redirect(_back_to(request, sandbox))
    controls = render(request, "sandbox/widget.html#time-controls",
                      {"sandbox": sandbox, "speeds": SPEEDS, "oob": True}).content.decode()
    return HttpResponse(_live(request, sandbox, sim) + controls)


def _back_to(request, sandbox: Sandbox) -> str:
    """Where a form posted without htmx returns: the page it came from (``next``, a path on this site), else
    the sandbox page."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return back
    return reverse("sandbox-detail", args=[sandbox.pk])
