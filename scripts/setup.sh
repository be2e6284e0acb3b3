#!/usr/bin/env bash
# Idempotent set-up behind `npm start` and `npm test`: npm dependencies, the system tools
# (Verilator, Yosys, Icarus Verilog, g++, make, Chromium), the Python venv (.venv) with cocotb and
# ml_dtypes, and the compiled CLI (dist/). A second run changes nothing and takes a few seconds.
#   scripts/setup.sh [--quiet]
set -euo pipefail
cd "$(dirname "$0")/.."
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1
say() { [ "$quiet" = 1 ] || echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 2; }
hash_of() { { cat "$@" 2>/dev/null || true; } | sha256sum | cut -c1-16; }

# 1. npm dependencies (npm ci when node_modules is missing or package-lock.json changed).
npm_stamp=node_modules/.mxgen-setup-stamp
want=$(hash_of package-lock.json)
if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$want" ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" > "$npm_stamp"
else
  say "npm dependencies up to date"
fi

# 2. System tools from Debian's packages, installed only when missing.
pkgs=()
command -v verilator >/dev/null 2>&1 || pkgs+=(verilator)
command -v yosys >/dev/null 2>&1 || pkgs+=(yosys)
command -v iverilog >/dev/null 2>&1 || pkgs+=(iverilog)
command -v g++ >/dev/null 2>&1 || pkgs+=(g++)
command -v make >/dev/null 2>&1 || pkgs+=(make)
command -v python3 >/dev/null 2>&1 || pkgs+=(python3)
# Debian's Chromium for the browser test of report.html (playwright-core drives it; no download).
[ -x /usr/bin/chromium ] || pkgs+=(chromium)
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then pkgs+=(python3-venv); fi
if [ "${#pkgs[@]}" -gt 0 ]; then
  echo "setup: installing ${pkgs[*]} with apt-get"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install ${pkgs[*]}"
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2
else
  say "verilator, yosys, iverilog, g++, make, chromium present"
fi

# 3. Python venv with the pinned cocotb / ml_dtypes / numpy / pytest and the mxgen_cocotb package.
venv_stamp=.venv/.mxgen-setup-stamp
want=$(hash_of cocotb-bridge/requirements.txt cocotb-bridge/pyproject.toml scripts/requirements-onnx.txt)
if [ ! -x .venv/bin/python ] || [ ! -f "$venv_stamp" ] || [ "$(cat "$venv_stamp")" != "$want" ]; then
  echo "setup: creating .venv (cocotb, ml_dtypes, numpy, pytest)"
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -r cocotb-bridge/requirements.txt >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -r scripts/requirements-onnx.txt >&2
  if [ -f cocotb-bridge/pyproject.toml ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e cocotb-bridge >&2
  fi
  echo "$want" > "$venv_stamp"
else
  say ".venv up to date"
fi

# 4. The precompiled JavaScript of src/ in dist/ (bin/compiled.js): bin/mxgen.js runs it while it is
#    current with src/ (a stamp of every source file), else the sources through tsx.
if node bin/compiled.js --check; then
  say "dist/ (compiled CLI) up to date"
else
  echo "setup: compiling src/ to dist/ (esbuild)"
  node bin/compiled.js --build >/dev/null
fi

# 5. Tool versions: one line per missing or too-old tool.
node bin/mxgen.js doctor --quiet
