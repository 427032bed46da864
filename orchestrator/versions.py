"""The versions our simulated GKE reports: one recent, coherent set (GKE 1.33 with containerd 2.0)."""

GKE_VERSION = "1.33.5-gke.1308000"
KUBECTL_VERSION = "v1.33.5"
KUSTOMIZE_VERSION = "v5.6.0"
KERNEL_VERSION = "6.6.105+"
CONTAINER_RUNTIME = "containerd://2.0.6"
OS_IMAGE = "Container-Optimized OS from Google"
