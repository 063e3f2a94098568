#!/bin/sh
# Installs what promdeck needs to build and run its tests, on Debian or
# Ubuntu as root, and says what it installs. Elsewhere, or without root, it
# prints the command to run and stops.
#   sh .ci/deps.sh        what make check needs
#   sh .ci/deps.sh fuzz   that, and clang with its libFuzzer and sanitizer
#                         runtimes, for make fuzz
set -eu

# Build: compiler, pkg-config and the -dev packages of the libraries:
# ncurses, libcurl, libyaml, pcre2, cmocka, and for promdeck serve
# libmicrohttpd, GnuTLS (its TLS), libcrypt (bcrypt passwords) and zlib
# (gzip answers).
# Tests: tmux drives the real TUI, python3 serves test targets and DNS
# answers, openssl makes TLS certificates, gzip makes a gzip bomb, curl
# asks the HTTP APIs (serve's, Prometheus's, Alertmanager's), procps
# (pgrep) finds the processes the tests signal, prometheus (and promtool)
# and prometheus-node-exporter are the real servers the comparison tests
# start on 127.0.0.1 (node_exporter is what the Grafana dashboard tests
# read), and prometheus-alertmanager is the real Alertmanager that
# test_alertmanager.sh sends promdeck's alerts to.
need="gcc make pkg-config libncurses-dev libcurl4-openssl-dev libyaml-dev
libpcre2-dev libcmocka-dev libmicrohttpd-dev libgnutls28-dev libcrypt-dev
zlib1g-dev
tmux python3 openssl gzip procps curl
prometheus prometheus-node-exporter prometheus-alertmanager"
tools=""
for group in "$@"; do
    case $group in
    fuzz) need="$need clang libclang-rt-dev"; tools="$tools clang" ;;
    *) echo "promdeck: deps.sh: unknown group: $group" >&2; exit 2 ;;
    esac
done

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    for p in $need; do
        st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        case "$st" in
        *"ok installed") ;;
        *) missing="$missing $p" ;;
        esac
    done
else
    for lib in ncursesw libcurl yaml-0.1 libpcre2-8 cmocka libmicrohttpd \
               gnutls libxcrypt zlib; do
        pkg-config --exists "$lib" 2>/dev/null || missing="$missing $lib"
    done
    for tool in $tools; do
        command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
    done
    if [ -n "$missing" ]; then
        echo "promdeck: missing:$missing" >&2
        echo "promdeck: install the development packages of ncurses" \
             "(wide), libcurl, libyaml, pcre2 and cmocka, and tmux" \
             "${tools:+(and$tools with its libFuzzer runtime)}" >&2
        exit 1
    fi
    exit 0
fi

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "promdeck: missing packages:$missing" >&2
    echo "promdeck: run: sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "promdeck: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "promdeck: installed:$missing"
