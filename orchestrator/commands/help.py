"""``help``: what the console understands, in Korean, with one example each."""

from __future__ import annotations

GENERAL = """이 콘솔은 실제 GKE 클러스터 대신 시뮬레이션된 클러스터에 명령을 보냅니다.
kubectl과 gcloud의 출력은 실제 도구와 같은 모양으로 나옵니다.

gcloud (클러스터 만들기와 관리)
  gcloud container clusters create NAME       클러스터 생성    예) gcloud container clusters create demo --num-nodes=3 --zone=asia-northeast3-a
  gcloud container clusters list              클러스터 목록
  gcloud container clusters describe NAME     클러스터 정보    예) gcloud container clusters describe demo --zone=asia-northeast3-a
  gcloud container clusters resize NAME       노드 수 변경     예) gcloud container clusters resize demo --num-nodes=4 --zone=asia-northeast3-a
  gcloud container clusters get-credentials   kubectl 연결     예) gcloud container clusters get-credentials demo --zone=asia-northeast3-a
  gcloud container clusters delete NAME       클러스터 삭제
  gcloud container node-pools create|list|delete   노드 풀 관리   예) gcloud container node-pools list --cluster=demo --zone=asia-northeast3-a
  gcloud config set compute/zone ZONE         기본 영역 지정   예) gcloud config set compute/zone asia-northeast3-a

kubectl (워크로드 다루기)
  kubectl get nodes|pods|deployments|replicasets|services|events|namespaces|all   예) kubectl get pods -o wide
  kubectl describe node|pod|deployment|replicaset NAME   예) kubectl describe deployment web
  kubectl create deployment NAME --image=IMAGE           예) kubectl create deployment web --image=nginx:1.27 --replicas=3
  kubectl run NAME --image=IMAGE                         예) kubectl run hello --image=nginx:1.27
  kubectl scale deployment NAME --replicas=N             예) kubectl scale deployment web --replicas=4
  kubectl delete pod|deployment NAME                     예) kubectl delete pod web-5d9c7b8f6d-x2b4k
  kubectl cordon|uncordon|drain NODE                     예) kubectl drain NODE --ignore-daemonsets
  kubectl config current-context|get-contexts|use-context
  kubectl version, kubectl cluster-info
  자주 쓰는 옵션: -o wide, -o name, -l app=web, -n kube-system, -A, --show-labels

sim (현실 세계에서 일어나는 일 흉내 내기)
  sim node fail NODE       노드(VM) 장애 일으키기   예) sim node fail gke-demo-default-pool-1a2b3c4d-x7k2
  sim node recover NODE    멈춘 노드 되살리기
  sim advance SECONDS      시뮬레이션 시간 흘리기   예) sim advance 60
  sim status               지금 상황 요약

알아 두면 좋은 점
  - 컨테이너가 CPU 요청(request)을 적지 않으면 100m을 요청한 것으로 봅니다 (GKE가 예전에 default 네임스페이스에 두던 LimitRange와 같습니다).
  - 노드마다 GKE 시스템 파드(kube-proxy, fluentbit-gke 등)가 떠 있어 할당 가능한 CPU 일부를 씁니다.
  - 클러스터 생성은 기다림 없이 바로 끝납니다. 실제 GKE에서는 몇 분 걸립니다.
"""

SIM = """sim 명령은 현실 세계에서 클러스터에 일어나는 일을 흉내 냅니다.

  sim node fail NODE      노드의 VM을 멈춥니다. 약 50초(node-monitor-grace-period) 뒤 노드가 NotReady가 되고
                          node.kubernetes.io/unreachable 테인트가 붙습니다. 그로부터 300초 뒤(기본 톨러레이션)
                          그 노드의 파드가 축출되고, 디플로이먼트가 다른 노드에 새 파드를 만듭니다.
  sim node recover NODE   멈춘 VM을 다시 켭니다. 노드가 Ready로 돌아오고 테인트가 사라집니다.
  sim advance SECONDS     시뮬레이션 시간을 SECONDS초 흘립니다 (최대 3,600초).
  sim status              시각, 클러스터, 노드와 파드 수를 요약합니다.

NODE 자리에는 전체 이름 대신 이름의 고유한 일부(예: 끝의 4글자)를 써도 됩니다."""


def help_text(args: list[str]) -> str:
    if args and args[0] == "sim":
        return SIM
    return GENERAL.rstrip()
