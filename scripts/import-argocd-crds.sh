#!/usr/bin/env bash
# Regenerates the typed Argo CD bindings in imports/ from the upstream CRDs (Argo CD v3.5.1):
#   bash scripts/import-argocd-crds.sh [CRD_DIR]      (default ../shared/crds)
# `cdk8s import` reads local CRD files offline. One call per CRD: with two specs of the same API
# group in one call, the CLI writes only the first. Commit the result: nothing reads CRD_DIR at
# build, test or synth time.
set -euo pipefail
cd "$(dirname "$0")/.."
crds="${1:-../shared/crds}"
for spec in application:="$crds/argoproj.io_applications.yaml" appproject:="$crds/argoproj.io_appprojects.yaml"; do
  node_modules/.bin/cdk8s import --no-check-upgrade -l typescript -o imports "$spec"
done
