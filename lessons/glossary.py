"""The course glossary: the official Korean terms (the Korean Kubernetes docs' localization guide), each
with its English original and a one-line explanation written for this course."""

from __future__ import annotations

TERMS: list[tuple[str, str, str]] = [
    ("파드", "Pod", "함께 배치되어 네트워크와 저장 공간을 나누는 컨테이너 묶음. 쿠버네티스가 배치하는 가장 작은 단위다."),
    ("디플로이먼트", "Deployment", "파드 템플릿과 레플리카 수를 선언하면, 레플리카셋을 통해 그 상태를 유지하고 롤링 업데이트를 해 준다."),
    ("레플리카셋", "ReplicaSet", "같은 템플릿의 파드를 정해진 개수만큼 유지하는 컨트롤러 오브젝트."),
    ("레플리카", "replica", "같은 파드 템플릿으로 만든 파드 하나하나."),
    ("노드", "Node", "파드가 실행되는 워커 머신. GKE에서는 Compute Engine VM이다."),
    ("클러스터", "Cluster", "컨트롤 플레인과 노드들로 이루어진 쿠버네티스 실행 환경."),
    ("컨트롤 플레인", "Control Plane", "API 서버, 스케줄러, 컨트롤러, etcd처럼 클러스터 전체를 관리하는 구성 요소."),
    ("컨트롤러", "controller", "의도한 상태와 실제 상태를 비교해 차이를 줄이는 제어 루프."),
    ("의도한 상태", "Desired State", "사용자가 오브젝트의 spec으로 선언한, 클러스터가 도달해야 할 상태."),
    ("서비스", "Service", "레이블 셀렉터로 고른 파드 집합에 고정된 주소와 부하 분산을 제공하는 오브젝트."),
    ("엔드포인트", "endpoint", "서비스가 트래픽을 보내는 준비된 파드의 IP와 포트."),
    ("네임스페이스", "Namespace", "한 클러스터 안에서 오브젝트 이름을 나누는 가상의 구역."),
    ("레이블", "label", "오브젝트에 붙이는 키-값 쌍. 셀렉터가 이것으로 오브젝트를 고른다."),
    ("셀렉터", "Selector", "레이블 조건으로 오브젝트를 고르는 식."),
    ("스케줄러", "scheduler", "아직 노드가 없는 파드에 가장 알맞은 노드를 골라 주는 컨트롤 플레인 구성 요소."),
    ("요청", "request", "컨테이너가 쓸 것으로 예약하는 CPU와 메모리. 스케줄러가 노드를 고를 때 기준으로 삼는다."),
    ("한도", "limit", "컨테이너가 넘을 수 없는 CPU와 메모리의 상한."),
    ("자가 치유", "Self-healing", "실패한 컨테이너를 재시작하고, 사라진 파드를 다시 만드는 쿠버네티스의 성질."),
    ("헬스 체크", "health check", "프로브로 컨테이너가 살아 있는지, 요청을 받을 준비가 됐는지 확인하는 일."),
    ("활성 프로브", "liveness probe", "실패하면 kubelet이 컨테이너를 재시작하는 검사."),
    ("준비성 프로브", "readiness probe", "실패하는 동안 파드를 서비스의 엔드포인트에서 빼는 검사."),
    ("롤링 업데이트", "rolling update", "파드를 조금씩 새 버전으로 바꿔 서비스를 멈추지 않고 배포하는 방식."),
    ("롤아웃", "rollout", "디플로이먼트가 새 파드 템플릿으로 옮겨 가는 과정."),
    ("롤백", "rollback", "이전 리비전의 파드 템플릿으로 되돌리는 일."),
    ("리비전", "revision", "디플로이먼트가 거친 파드 템플릿의 각 판."),
    ("축출", "eviction", "노드에서 파드를 강제로 내보내는 일. 노드 장애나 드레이닝 때 일어난다."),
    ("드레이닝", "draining", "노드를 점검하기 전에 파드를 안전하게 다른 노드로 옮기는 일."),
    ("테인트", "taint", "노드에 붙여 이를 견디지(tolerate) 못하는 파드를 밀어내는 표시."),
    ("톨러레이션", "toleration", "파드가 특정 테인트를 견딜 수 있다고 밝히는 설정."),
    ("오토스케일러", "autoscaler", "부하에 따라 파드나 노드의 수를 자동으로 조절하는 구성 요소."),
    ("Horizontal Pod Autoscaler", "Horizontal Pod Autoscaler", "메트릭(예: CPU 사용률)에 따라 레플리카 수를 조절한다."),
    ("메트릭", "metric", "CPU 사용량처럼 시간에 따라 측정한 값."),
    ("이미지", "Image", "컨테이너를 실행하는 데 필요한 파일과 설정을 층(layer)으로 묶은 것."),
    ("레지스트리", "Registry", "컨테이너 이미지를 저장하고 내려받는 곳."),
    ("매니페스트", "manifest", "오브젝트의 의도한 상태를 YAML이나 JSON으로 적은 문서."),
    ("워크로드", "Workload", "클러스터에서 실행하는 애플리케이션. 디플로이먼트 같은 오브젝트로 표현한다."),
    ("가용성 영역", "availability zone", "한 리전 안에서 전원과 네트워크가 분리된 데이터 센터 구역."),
    ("노드 풀", "node pool", "GKE에서 같은 설정(머신 유형 등)을 공유하는 노드들의 묶음."),
    ("컨테이너", "Container", "애플리케이션과 그 의존성을 격리된 환경에서 실행하는 단위. 호스트 커널을 공유한다."),
    ("트래픽", "traffic", "서비스로 들어오는 요청의 흐름."),
]


def used_in(lessons) -> list[dict]:
    """Every term with the lessons whose text mentions it, in course order."""
    out = []
    for korean, english, meaning in TERMS:
        where = [lesson for lesson in lessons if korean in lesson.body or f"({english})" in lesson.body]
        out.append({"korean": korean, "english": english, "meaning": meaning, "lessons": where})
    return out
