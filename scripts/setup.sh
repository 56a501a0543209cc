#!/usr/bin/env bash
# Installs what is missing (Debian packages, npm dependencies) and builds, idempotently.
# Fast when everything is already there: it only checks and runs an incremental build.
#   scripts/setup.sh            everything `npm test` needs (includes chromium)
#   scripts/setup.sh --runtime  only what `npm start` needs (no chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=1
[[ "${1:-}" == "--runtime" ]] && want_browser=0

packages=(cmake g++ make emscripten nlohmann-json3-dev libgtest-dev)
[[ $want_browser == 1 ]] && packages+=(chromium)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm dependencies: install when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

bash scripts/build.sh
