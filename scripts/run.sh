#!/usr/bin/env bash
# Entry point of every npm script that needs the toolchain: provisions it, then runs scripts/<name>.ts on it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
source "$ROOT/scripts/toolchain.sh"

name=${1:?usage: run.sh <script> [args...]}
shift

ensure_node
ensure_node_modules
case "$name" in
  start|test|bench-*|e2e) ensure_python_tools; ensure_ffmpeg ;;
esac
case "$name" in
  test|bench-live|bench-site|e2e) ensure_chromium ;;
esac
case "$name" in
  test) ensure_aiortc ;;
esac

exec node "$ROOT/scripts/$name.ts" "$@"
