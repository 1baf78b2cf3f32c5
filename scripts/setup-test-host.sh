#!/usr/bin/env bash
# Installs the system parts the tests need that npm does not: redis-server (Debian), Node 22 for the
# package test (which runs the installed package on Node 20, 22 and 24), and for the extension
# tests Chromium, Node 24 and code-server (scripts/setup-vscode-e2e.sh), and the real-code corpus. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
apt_install() {
  if [[ $(id -u) -ne 0 ]]; then echo "setup: please install with apt (as root): $*" >&2; return 1; fi
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }; then
    echo "setup: apt-get install $* failed (output above): check that Debian's package mirror is reachable, or install them by hand, then run npm test again" >&2
    return 1
  fi
}
command -v redis-server >/dev/null || apt_install redis-server
source "$here/lib/install-node.sh"
install_node 22.23.5 "${TASKLANE_VSCODE_CACHE:-$HOME/.cache/tasklane-vscode}/node22"
if [[ -f "$here/setup-vscode-e2e.sh" ]]; then bash "$here/setup-vscode-e2e.sh"; fi
# The real-code corpus (test/corpus-real): npm tarballs into a cache, downloaded once and offline
# afterwards. Not fatal: only `npm run corpus:real` needs it, and it says what is missing.
node "$here/fetch-real-corpus.mjs" >/dev/null || echo "setup: the real-code corpus could not be fetched (see above); npm run corpus:real needs it" >&2
