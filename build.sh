#!/usr/bin/env bash
# One entry point for building, testing and benchmarking EventHub.
#   ./build.sh test    install what the tests need (RabbitMQ, PostgreSQL binaries), build, run every test project
#   ./build.sh build   build everything
#   ./build.sh bench   load benchmark: publishes the host, runs bench/EventHub.LoadTest (about 3 minutes; not a test)
set -euo pipefail
cd "$(dirname "$0")"

results_dir=".test-results"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

ensure_test_dependencies() {
  if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
    echo "== installing rabbitmq-server (apt)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq rabbitmq-server >/dev/null
  fi
  export PATH="$PATH:/usr/sbin"

  if ! command -v initdb >/dev/null 2>&1; then
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$pg_bin" ]; then
      echo "== installing PostgreSQL server binaries (apt)"
      as_root apt-get update -qq
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
      pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    export PATH="$PATH:$pg_bin"
  fi

  # The dashboard's browser tests drive Debian's Chromium with Playwright (browsers cannot be downloaded here).
  if ! command -v chromium >/dev/null 2>&1; then
    echo "== installing chromium (apt)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
  fi

  # PostgreSQL refuses to run as root: the test clusters run as this user.
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi

  ensure_container_base
}

# The container tests build docker/Dockerfile with podman. Official base images cannot be pulled here, so the base is a
# minbase Debian bookworm bootstrapped from the machine's own Debian mirror, imported once and kept in podman's store.
ensure_container_base() {
  if ! command -v podman >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1 || ! command -v podman-compose >/dev/null 2>&1; then
    echo "== installing podman, podman-compose, runc, debootstrap (apt)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      podman podman-compose runc debootstrap uidmap slirp4netns fuse-overlayfs >/dev/null
  fi
  export CONTAINERS_CONF="$PWD/tests/EventHub.Container.Tests/containers.conf"
  local base=localhost/debian-base:bookworm
  if as_root podman image exists "$base"; then
    return
  fi
  local mirror
  mirror=$(grep -hoE '^URIs: *[^ ]+/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 | awk '{print $2}' || true)
  [ -n "$mirror" ] || mirror=$(grep -hoE '^deb +[^ ]+/debian/? ' /etc/apt/sources.list 2>/dev/null | head -n 1 | awk '{print $2}' || true)
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
  echo "== bootstrapping $base from $mirror (debootstrap, about a minute)"
  local root
  root=$(mktemp -d /tmp/eventhub-debian-base.XXXXXX)
  as_root debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3 bookworm "$root/rootfs" "$mirror" >/dev/null
  as_root tar -C "$root/rootfs" -c . | as_root podman import - "$base" >/dev/null
  as_root rm -rf "$root"
}

build() {
  dotnet build EventHub.sln -c "${CONFIGURATION:-Debug}" -warnaserror --nologo -v quiet
}

run_tests() {
  ensure_test_dependencies
  build
  rm -rf "$results_dir"
  dotnet test --solution EventHub.sln -c "${CONFIGURATION:-Debug}" --no-build \
    --report-xunit-trx --results-directory "$PWD/$results_dir" "$@"
}

run_bench() {
  ensure_test_dependencies
  local host_dir="$PWD/bench/EventHub.LoadTest/bin/published-host"
  dotnet publish src/EventHub.Host -c Release -o "$host_dir" --nologo -v quiet
  dotnet build bench/EventHub.LoadTest -c Release -warnaserror --nologo -v quiet
  EVENTHUB_HOST_DLL="$host_dir/EventHub.Host.dll" dotnet run -c Release --no-build --project bench/EventHub.LoadTest -- "$@"
}

case "${1:-build}" in
  test) shift; run_tests "$@" ;;
  build) build ;;
  bench) shift; run_bench "$@" ;;
  *) echo "usage: ./build.sh [build|test|bench]" >&2; exit 2 ;;
esac
