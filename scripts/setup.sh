#!/usr/bin/env bash
# Installs every Debian package actlab needs to build, test and run its main job.
# Usage: scripts/setup.sh [--with-torch] [--with-browser]
#   --with-torch    also install python3-torch/python3-numpy (PyTorch comparison, fixtures)
#   --with-browser  also install chromium (report screenshot test)
set -euo pipefail

want_torch=0
want_browser=0
for arg in "$@"; do
  case "$arg" in
    --with-torch) want_torch=1 ;;
    --with-browser) want_browser=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake pkg-config
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  libhwy-dev libdnnl-dev libcli11-dev nlohmann-json3-dev zlib1g-dev
  libplplot-dev plplot-driver-cairo
  libboost-math-dev libtomlplusplus-dev
  dataset-fashion-mnist
  clang libclang-rt-14-dev libomp-14-dev
)
(( want_torch )) && packages+=(python3-torch python3-numpy python3-scipy)
(( want_browser )) && packages+=(chromium chromium-driver python3-selenium)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} == 0 )); then
  echo "setup.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
