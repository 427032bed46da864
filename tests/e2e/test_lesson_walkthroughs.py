"""Whole lessons in a real Chromium, done as a learner does them: read the text, switch to the sandbox, type what
the text says to type, and watch the exercise panel count up to the end, on a phone and on a laptop."""

import re

import pytest
from playwright.sync_api import Page, expect

from lessons.course import Lesson, all_lessons, by_slug
from tests.e2e.test_lesson_browser import in_view, no_sideways_scroll, open_lesson, show_sandbox
from tests.e2e.test_sandbox_browser import assert_clean, run, watched  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

SCREENS = [(390, 844), (1366, 768)]


def manifests(lesson: Lesson) -> list[str]:
    """The lesson text's YAML blocks, in order: what a learner pastes after ``kubectl apply -f -``."""
    return re.findall(r"^```yaml\n(.*?)^```", lesson.body, flags=re.DOTALL | re.MULTILINE)


def apply(*blocks: str) -> str:
    return "kubectl apply -f -\n" + "---\n".join(blocks).rstrip()


def why_containers(lesson: Lesson) -> list[list[str]]:
    return [
        [
            "kubectl get nodes -o wide",
            "kubectl run hello-pod --image=nginx:1.27",
            "kubectl get pods",
            "kubectl describe pod hello-pod",
            "kubectl create deployment hello --image=nginx:1.27",
            "sim advance 30",
            "kubectl get pods",
        ],
        ["kubectl create deployment legacy --image=nginx:1.25", "sim advance 30", "kubectl get pods -o wide"],
    ]


def scaling(lesson: Lesson) -> list[list[str]]:
    return [
        [
            "kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1",
            "sim advance 120",
            "kubectl get deployments",
            "kubectl scale deployment kubernetes-bootcamp --replicas=4",
            "kubectl get rs",
            "sim advance 20",
            "kubectl get pods -o wide",
            "kubectl describe deployment kubernetes-bootcamp",
            "kubectl get events",
        ],
        [
            "kubectl scale deployment kubernetes-bootcamp --replicas=24",
            "sim advance 15",
            "kubectl get deployments",
            "kubectl get pods",
            "gcloud container clusters list",
            "gcloud container clusters resize demo --num-nodes=4 --zone=asia-northeast3-a",
            "kubectl get nodes",
            "sim advance 20",
            "kubectl get deployments",
        ],
        [
            "kubectl scale deployment kubernetes-bootcamp --replicas=6",
            "kubectl get pods -o wide",
            "gcloud container clusters resize demo --num-nodes=3 --zone=asia-northeast3-a",
            "sim advance 30",
            "kubectl get pods -o wide",
        ],
    ]


def final_project(lesson: Lesson) -> list[list[str]]:
    configmap, job, deployment, service_pdb_hpa, certificate_ingress = manifests(lesson)
    return [
        [
            "gcloud container clusters create course --region=asia-northeast3 --num-nodes=1",
            "kubectl create secret generic web-secrets --from-literal=SECRET_KEY=sandbox-only-not-a-secret"
            " --from-literal=DATABASE_URL=postgres://course:DB_PASSWORD@10.20.0.3:5432/course",
            apply(configmap),
            "kubectl get configmaps,secrets",
        ],
        [apply(job), "sim advance 30", "kubectl logs job/migrate"],
        [apply(deployment, service_pdb_hpa), "sim advance 30"],
        [
            apply(certificate_ingress),
            "kubectl get ingress",
            "sim advance 400",
            "kubectl get ingress",
            "kubectl get managedcertificate",
        ],
    ]


WALKS = {"why-containers": why_containers, "scaling": scaling, "final-project": final_project}


def told(lesson: Lesson) -> str:
    """Everything the lesson tells the learner to type: its text and its hints."""
    return "\n".join([lesson.body, *(hint for exercise in lesson.exercises for hint in exercise.hints)])


def done_count(page: Page) -> tuple[int, int]:
    text = page.locator("#exercises .count").inner_text()
    match = re.fullmatch(r"(\d+)/(\d+) 완료", text)
    assert match, text
    return int(match[1]), int(match[2])


@pytest.mark.parametrize(("width", "height"), SCREENS)
@pytest.mark.parametrize("slug", list(WALKS))
def test_a_learner_finishes_every_exercise_by_typing_what_the_lesson_says(watched, live_server, slug, width, height):  # noqa: F811
    page, errors = watched
    lesson = by_slug(slug)
    steps = WALKS[slug](lesson)
    assert len(steps) == len(lesson.exercises)
    text = told(lesson)
    for line in (line for step in steps for line in step):
        if not line.startswith("kubectl apply -f -\n"):  # pasted manifests come from the text itself
            assert line in text, f"{slug} never tells the learner to type {line!r}"

    open_lesson(page, live_server, width, height, f"/lessons/{slug}/")
    assert no_sideways_scroll(page)
    show_sandbox(page, width)
    total = len(steps)
    expect(page.locator("#exercises .count")).to_have_text(f"0/{total} 완료")
    best, marked = 0, 0
    for number, step in enumerate(steps, start=1):
        for line in step:
            run(page, line)
            done, shown_total = done_count(page)
            assert shown_total == total
            assert done >= best, (line, done, best)
            best = done
            now_marked = page.locator("#exercises .ex--done").count()
            assert now_marked >= marked, (line, now_marked, marked)
            marked = now_marked
            assert no_sideways_scroll(page), line
            assert in_view(page, "#console-input"), line
            # The map redraws a moment after the log shows the command's output (a new cluster's nodes, say).
            expect(page.locator(".node-card").first).to_be_visible()
            assert in_view(page, ".node-card"), line
        expect(page.locator("#exercises .count")).to_have_text(f"{number}/{total} 완료", timeout=10_000)
        expect(page.locator("#exercises .ex--done")).to_have_count(number)
        best, marked = number, number

    panel = page.locator("#exercises")
    expect(panel.get_by_role("link", name="퀴즈 풀기")).to_be_visible()
    next_lesson = panel.get_by_role("link", name=re.compile("다음 레슨"))
    if lesson.slug != all_lessons()[-1].slug:
        expect(next_lesson).to_be_visible()
    else:
        expect(next_lesson).to_have_count(0)  # the course ends here
    # In one go: a poll may swap the panel for a fresh copy between a locator's lookup and its scroll.
    page.evaluate("document.querySelector('#exercises .ex-next').scrollIntoView({block: 'nearest'})")
    assert no_sideways_scroll(page)
    # caret="initial": hiding the caret leaves style="" on every input, which htmx then copies onto the next poll's
    # copy of the input (its settle step), and the page's CSP rightly refuses that inline style.
    page.screenshot(path=f"/tmp/walk-{slug}-{width}x{height}.png", caret="initial")

    page.reload()
    expect(page.locator("#exercises .count")).to_have_text(f"{total}/{total} 완료")
    expect(page.locator("#exercises .ex--done")).to_have_count(total)
    assert no_sideways_scroll(page)
    assert_clean(page, errors)
