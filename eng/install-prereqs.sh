#!/usr/bin/env bash
# Installs what MLNeuro needs beyond the .NET SDK, and nothing on machines that already have it.
#
# TorchSharp 0.107 (libtorch 2.10) loads libLibTorchSharp.so, which needs libstdc++ from GCC 13+
# (symbol version GLIBCXX_3.4.32). Debian 12 ships GCC 12's libstdc++ (3.4.30), so there we add
# Debian 13 (trixie) as an apt source pinned at low priority and upgrade only libstdc++6 from it.
# Ubuntu 24.04+, Debian 13+, Fedora 39+, macOS and Windows need nothing.
# Idempotent: a second run finds the symbol and exits at once. Runs unattended (CI has no stdin).
set -euo pipefail

needed=GLIBCXX_3.4.32

find_libstdcxx() {
  local candidates=(/usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6
                    /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6)
  local c
  for c in "${candidates[@]}"; do [ -e "$c" ] && { readlink -f "$c"; return 0; }; done
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}'
}

has_symbol() {
  local lib
  lib=$(find_libstdcxx) || return 1
  [ -n "$lib" ] && grep -qa "$needed" "$lib"
}

if [ "$(uname -s)" != "Linux" ]; then
  echo "install-prereqs: $(uname -s) needs nothing"; exit 0
fi
if has_symbol; then
  echo "install-prereqs: libstdc++ already provides $needed"; exit 0
fi

. /etc/os-release
if [ "${ID:-}" != "debian" ] || [ "${VERSION_ID:-}" != "12" ]; then
  echo "install-prereqs: libstdc++ lacks $needed and this script only knows how to fix Debian 12." >&2
  echo "install-prereqs: install libstdc++ from GCC 13 or newer with your distribution's tools, then rerun." >&2
  exit 1
fi

sudo_cmd=()
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null || { echo "install-prereqs: needs root (or sudo) to install libstdc++6 from Debian 13" >&2; exit 1; }
  sudo_cmd=(sudo)
fi

echo "install-prereqs: libstdc++ lacks $needed; installing libstdc++6 from Debian 13 (trixie), pinned at priority 100"
"${sudo_cmd[@]}" tee /etc/apt/sources.list.d/mlneuro-trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
"${sudo_cmd[@]}" tee /etc/apt/preferences.d/mlneuro-trixie >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t trixie \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold libstdc++6 >/dev/null

if has_symbol; then
  echo "install-prereqs: done, libstdc++ now provides $needed"
else
  echo "install-prereqs: installed libstdc++6 from trixie but $needed is still missing" >&2; exit 1
fi
