#!/usr/bin/env bash
# One entry point for building, testing and benchmarking EventHub.
#   ./build.sh test    install what the tests need (RabbitMQ, PostgreSQL binaries), build, run every test project
#   ./build.sh build   build everything
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

  # PostgreSQL refuses to run as root: the test clusters run as this user.
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi

  ensure_container_base
}

# The container tests build docker/Dockerfile with podman. Official base images cannot be pulled here, so the base is a
# minbase Debian bookworm bootstrapped from the machine's own Debian mirror, imported once and kept in podman's store.
ensure_container_base() {
  if ! command -v podman >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
    echo "== installing podman, runc, debootstrap (apt)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      podman runc debootstrap uidmap slirp4netns fuse-overlayfs >/dev/null
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

case "${1:-build}" in
  test) shift; run_tests "$@" ;;
  build) build ;;
  *) echo "usage: ./build.sh [build|test]" >&2; exit 2 ;;
esac
