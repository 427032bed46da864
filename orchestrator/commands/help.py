"""``help``: what the console understands, in Korean, with one example each."""

from __future__ import annotations

GENERAL = """이 콘솔은 실제 GKE 클러스터 대신 시뮬레이션된 클러스터에 명령을 보냅니다.
kubectl과 gcloud의 출력은 실제 도구와 같은 모양으로 나옵니다. 자세한 안내: help gcloud, help kubectl, help sim

gcloud (클러스터 만들기와 관리)
  gcloud container clusters create NAME          클러스터 생성      예) gcloud container clusters create demo --num-nodes=3 --zone=asia-northeast3-a
  gcloud container clusters create-auto NAME     Autopilot 클러스터  예) gcloud container clusters create-auto auto --region=asia-northeast3
  gcloud container clusters list|describe|delete|resize|update|get-credentials
  gcloud container node-pools create|list|delete
  gcloud config set compute/zone ZONE            기본 영역 지정     예) gcloud config set compute/zone asia-northeast3-a

kubectl (워크로드 다루기)
  kubectl get KIND [NAME]          예) kubectl get pods -o wide
  kubectl describe KIND NAME       예) kubectl describe deployment web
  kubectl create deployment        예) kubectl create deployment web --image=nginx:1.27 --replicas=3
  kubectl apply -f -               다음 줄부터 YAML 매니페스트를 붙여 넣습니다 (<<EOF … EOF도 됩니다)
  kubectl scale / expose / autoscale / set image / rollout / delete / label / top / logs
  kubectl cordon|uncordon|drain NODE, kubectl version, kubectl cluster-info, kubectl config

sim (현실 세계에서 일어나는 일 흉내 내기)
  sim node fail|recover NODE   sim traffic SERVICE RPS   sim app crash|heal DEPLOYMENT
  sim advance SECONDS          sim explain pod NAME      sim cost        sim status
  sim undo                     클러스터를 바꾼 마지막 명령 하나를 취소합니다

알아 두면 좋은 점
  - 컨테이너가 CPU 요청(request)을 적지 않으면 100m을 요청한 것으로 봅니다 (GKE가 예전에 default 네임스페이스에 두던 LimitRange와 같습니다).
    Autopilot에서는 요청이 없으면 CPU 500m, 메모리 2Gi로 채웁니다.
  - 노드마다 GKE 시스템 파드(kube-proxy, fluentbit-gke 등)가 떠 있어 할당 가능한 CPU 일부를 씁니다.
  - 클러스터 생성은 기다림 없이 바로 끝납니다. 실제 GKE에서는 몇 분 걸립니다.
  - 파이프(|)와 리디렉션은 쓸 수 없습니다. 명령을 하나씩 입력하세요.
"""

GCLOUD = """gcloud 명령 (이 시뮬레이터가 지원하는 것)

  gcloud container clusters create NAME [--zone Z | --region R] [--num-nodes N] [--machine-type T]
                                        [--enable-autoscaling --min-nodes N --max-nodes M]
      예) gcloud container clusters create demo --num-nodes=3 --zone=asia-northeast3-a
      --region을 쓰면 리전의 세 영역에 영역마다 N개씩 노드가 생깁니다.
  gcloud container clusters create-auto NAME --region R
      예) gcloud container clusters create-auto auto --region=asia-northeast3
  gcloud container clusters list
  gcloud container clusters describe NAME --zone Z
  gcloud container clusters get-credentials NAME --zone Z      kubectl이 이 클러스터를 가리키게 합니다
  gcloud container clusters resize NAME --num-nodes N [--node-pool P] --zone Z
  gcloud container clusters update NAME --enable-autoscaling --min-nodes 1 --max-nodes 5 --zone Z
  gcloud container clusters delete NAME --zone Z
  gcloud container node-pools create P --cluster NAME [--machine-type T] [--num-nodes N] --zone Z
  gcloud container node-pools list --cluster NAME --zone Z
  gcloud container node-pools delete P --cluster NAME --zone Z
  gcloud config set compute/zone ZONE | compute/region REGION | project PROJECT
  gcloud config list, gcloud config get-value KEY

  영역 예: asia-northeast3-a (서울), asia-northeast1-a (도쿄), us-central1-a
  머신 유형 예: e2-small, e2-medium, e2-standard-2, e2-standard-4, n2-standard-2"""

KUBECTL = """kubectl 명령 (이 시뮬레이터가 지원하는 것)

  kubectl get pods|deployments|replicasets|nodes|services|endpoints|hpa|events|namespaces|all [NAME]
  kubectl get configmaps|secrets|jobs|pdb|ingress|managedcertificate [NAME]
      옵션: -o wide|name|yaml|json, -l app=web, -n NAMESPACE, -A, --show-labels, --sort-by=.metadata.name
  kubectl describe pod|deployment|replicaset|node|service|hpa|configmap|secret|job|pdb|ingress NAME
  kubectl create deployment NAME --image=IMAGE [--replicas=N] [--port=P]
  kubectl create namespace NAME
  kubectl create secret generic NAME --from-literal=KEY=VALUE ...   (configmap도 같은 모양)
  kubectl run NAME --image=IMAGE
  kubectl apply -f -            (다음 줄부터 YAML: Deployment, Service, HorizontalPodAutoscaler, Pod, Namespace,
                                 ConfigMap, Secret, Job, PodDisruptionBudget, Ingress, ManagedCertificate)
  kubectl delete KIND NAME (위의 모든 종류), kubectl delete -f -
  kubectl scale deployment NAME --replicas=N
  kubectl expose deployment NAME --port=80 [--target-port=8080] [--type=LoadBalancer]
  kubectl autoscale deployment NAME --min=1 --max=10 --cpu-percent=50   (--cpu=50%도 됩니다)
  kubectl set image deployment/NAME CONTAINER=IMAGE [--record]
  kubectl set resources deployment NAME --requests=cpu=200m,memory=256Mi
  kubectl rollout status|history|undo|restart|pause|resume deployment/NAME
  kubectl annotate deployment NAME kubernetes.io/change-cause="이유"
  kubectl label pod|deployment|node|service NAME key=value
  kubectl top nodes|pods, kubectl logs POD|deployment/NAME|job/NAME [--tail=N] [--previous]
  kubectl cordon|uncordon NODE, kubectl drain NODE --ignore-daemonsets [--timeout=60s]
      drain은 PodDisruptionBudget을 지킵니다. 막힌 축출은 시뮬레이션 시간으로 5초마다 다시 시도합니다.

  시뮬레이터가 단순하게 다루는 것
  - 잡(Job)의 컨테이너는 시작하고 8초 뒤 성공(종료 코드 0)으로 끝납니다.
  - 컨피그맵과 시크릿은 envFrom, env[].valueFrom으로만 읽습니다. 없으면 파드가 CreateContainerConfigError로 기다립니다.
  - 인그레스는 백엔드 서비스가 모두 있으면 90초 뒤 주소를 받습니다. 관리형 인증서는 그 뒤 300초면 Active가
    됩니다(실제로는 DNS가 인그레스 IP를 가리켜야 하고 최대 60분쯤 걸립니다).
  kubectl config current-context|get-contexts|use-context, kubectl version, kubectl cluster-info"""

SIM = """sim 명령은 현실 세계에서 클러스터에 일어나는 일을 흉내 냅니다.

  sim node fail NODE      노드의 VM을 멈춥니다. 약 50초(node-monitor-grace-period) 뒤 노드가 NotReady가 되고
                          node.kubernetes.io/unreachable 테인트가 붙습니다. 그로부터 300초 뒤(기본 톨러레이션)
                          그 노드의 파드가 축출되고, 디플로이먼트가 다른 노드에 새 파드를 만듭니다.
  sim node recover NODE   멈춘 VM을 다시 켭니다. 노드가 Ready로 돌아오고 테인트가 사라집니다.
  sim traffic SERVICE RPS 서비스에 초당 RPS개의 요청을 보냅니다. 준비된 엔드포인트에만 나뉘어 들어가고,
                          파드의 CPU 사용량이 그만큼 오릅니다 (Horizontal Pod Autoscaler가 이것을 봅니다).
  sim app crash DEPLOYMENT  애플리케이션을 고장 냅니다. 재시작이 반복되면 CrashLoopBackOff가 됩니다.
  sim app heal DEPLOYMENT   고장 난 애플리케이션을 고칩니다.
  sim explain pod NAME    스케줄러가 노드마다 내린 필터 판정과 점수를 보여 줍니다.
  sim cost                프로젝트의 예상 시간당 비용(예시 가격)을 보여 줍니다.
  sim advance SECONDS     시뮬레이션 시간을 SECONDS초 흘립니다 (최대 3,600초).
  sim status              시각, 클러스터, 노드와 파드 수를 요약합니다.
  sim undo                클러스터를 바꾼 마지막 명령 하나를 취소합니다. 그 명령을 실행하기 직전의 상태와
                          시각으로 돌아갑니다(위쪽의 ↶ 되돌리기 버튼과 같습니다). 한 번에 한 단계만 됩니다.

NODE 자리에는 전체 이름 대신 이름의 고유한 일부(예: 끝의 4글자)를 써도 됩니다."""


def help_text(args: list[str]) -> str:
    topic = args[0] if args else ""
    return {"sim": SIM, "gcloud": GCLOUD, "kubectl": KUBECTL}.get(topic, GENERAL.rstrip())
