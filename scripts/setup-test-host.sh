#!/usr/bin/env bash
# Installs the system parts the tests need that npm does not: redis-server (Debian), and for the
# extension tests Chromium, Node 24 and code-server (scripts/setup-vscode-e2e.sh). Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
apt_install() {
  if [[ $(id -u) -ne 0 ]]; then echo "setup: please install: $*" >&2; return 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v redis-server >/dev/null || apt_install redis-server
if [[ -f "$here/setup-vscode-e2e.sh" ]]; then bash "$here/setup-vscode-e2e.sh"; fi
