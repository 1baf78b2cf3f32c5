#!/bin/sh
# Stands in for the VS Code executable that @vscode/test-electron's runTests would download (no
# download is possible here): runTests({ vscodeExecutablePath: this }) gets the same test run in
# code-server's real VS Code, with the test module's exit code as ours. See scripts/lib/code-cli.mjs.
exec node "$(dirname "$0")/lib/code-cli.mjs" "$@"
