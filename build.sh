#!/usr/bin/env bash
# One entry point for building, testing and benchmarking EventHub.
#   ./build.sh test    install what the tests need (RabbitMQ, PostgreSQL binaries), build, run every test project
#   ./build.sh build   build everything
#   ./build.sh bench   load benchmark: publishes the host, runs bench/EventHub.LoadTest (6 to 8 minutes; not a test);
#                      --quick runs each phase a third as long, skips the rising rates and the second copy, and writes nothing
#                      --idle starts the hub, prints its idle RSS and stops (compare DOTNET_* runtime settings)
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

# Every test project runs with a hang dump: a project whose tests show no progress for 15 minutes is dumped (mini dump and
# the list of tests in flight, in .test-results) and ended, and the whole run is ended after 75 minutes, so a hang fails
# with evidence instead of eating CI's budget. Processes and containers the run started are recorded by the tests
# (EVENTHUB_TEST_PIDS, label eventhub.test-run) and stopped by id when it ends; its temp files go with it.
run_tests() {
  ensure_test_dependencies
  rm -rf "$results_dir"
  build
  local run_id run_dir status=0
  run_id="$(date +%s)-$$"
  run_dir=$(mktemp -d "${TMPDIR:-/tmp}/eventhub-run-$run_id.XXXXXX")
  chmod 755 "$run_dir"
  mkdir -m 1777 "$run_dir/tmp"
  trap "cleanup_test_run '$run_dir' '$run_id'" EXIT
  # EVENTHUB_TEST_TRX: each project writes <project>.trx (tests/Directory.Build.props), which .ci/run counts.
  EVENTHUB_TEST_RUN="$run_id" EVENTHUB_TEST_PIDS="$run_dir/pids" TMPDIR="$run_dir/tmp" EVENTHUB_TEST_TRX=1 \
    timeout --kill-after=60 75m dotnet test --solution EventHub.sln -c "${CONFIGURATION:-Debug}" --no-build \
    --results-directory "$PWD/$results_dir" \
    --hangdump --hangdump-timeout 15m --hangdump-type Mini "$@" || status=$?
  [ "$status" -eq 124 ] && echo "== the test run did not finish in 75 minutes and was stopped" >&2
  return "$status"
}

cleanup_test_run() {
  local run_dir=$1 run_id=$2 pid
  if [ -f "$run_dir/pids" ]; then
    # A recorded id whose process is younger than the run is still ours (ids are reused only after a process ends).
    local run_age=$(( $(date +%s) - ${run_id%%-*} + 5 ))
    while read -r pid; do
      local age
      age=$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ') || continue
      [ -n "$age" ] && [ "$age" -le "$run_age" ] && kill -KILL "$pid" 2>/dev/null || true
    done < "$run_dir/pids"
  fi
  if command -v podman >/dev/null 2>&1; then
    local containers
    containers=$(as_root podman ps -aq --filter "label=eventhub.test-run=$run_id" 2>/dev/null || true)
    [ -z "$containers" ] || as_root podman rm -f $containers >/dev/null 2>&1 || true
  fi
  rm -rf "$run_dir"
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
