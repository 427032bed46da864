import pytest

from lessons import course

SAMPLE = """---
title: 첫 디플로이먼트
summary: kubectl로 디플로이먼트를 만든다.
order: 1
scenario: three-nodes
objectives:
  - 디플로이먼트를 만들 수 있다.
exercises:
  - id: create-web
    prompt: web 디플로이먼트를 만들어 보자.
    goals:
      - ready_replicas: {deployment: web, at_least: 2}
    hints: ["kubectl create deployment를 쓴다.", "kubectl create deployment web --image=nginx:1.27 --replicas=2"]
    solution: ["kubectl create deployment web --image=nginx:1.27 --replicas=2", "sim advance 30"]
quiz:
  - id: owner
    question: 파드를 직접 만드는 오브젝트는?
    choices: [서비스, 레플리카셋]
    answer: 1
    explanation: 레플리카셋이 파드 수를 맞춘다.
---
## 디플로이먼트란 무엇인가

디플로이먼트는 파드를 관리한다. 롤링 업데이트도 해 준다.

```bash
kubectl get pods
```
"""

SECOND = SAMPLE.replace("order: 1", "order: 2").replace("첫 디플로이먼트", "스케일링").replace(
    "디플로이먼트란 무엇인가", "스케일링이란")


@pytest.fixture
def sample_course(tmp_path, monkeypatch):
    """Two small lessons in a temporary content folder, so view tests do not depend on the real course."""
    (tmp_path / "01-first-deployment.md").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "02-scaling.md").write_text(SECOND, encoding="utf-8")
    monkeypatch.setattr(course, "CONTENT_DIR", tmp_path)
    course._CACHE.clear()
    yield tmp_path
    course._CACHE.clear()
