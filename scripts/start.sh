#!/usr/bin/env bash
# Starts the browser workbench with the organization server embedded.
# Data under ./.vouch unless VOUCH_DATA_DIR says otherwise; http://127.0.0.1:${PORT:-3000}.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export VOUCH_DATA_DIR="${VOUCH_DATA_DIR:-$root/.vouch}"
export THEIA_CONFIG_DIR="${THEIA_CONFIG_DIR:-$VOUCH_DATA_DIR/theia}"
export PORT="${PORT:-3000}"
mkdir -p "$VOUCH_DATA_DIR" "$THEIA_CONFIG_DIR"
cd "$root/browser-app"
# The backend itself, not `theia start`: that one forks it into another process group, so
# Ctrl-C would leave the server running.
exec node lib/backend/main.js --hostname "${VOUCH_HOST:-127.0.0.1}" --port "$PORT" "$@"
