# Shared by scripts/start, scripts/test and .ci/run: the toolchain and the local services.
# shellcheck shell=bash

export TURBO_TELEMETRY_DISABLED=1
export DO_NOT_TRACK=1

# pnpm is pinned in package.json; corepack does not work on our machines, so npm installs it.
ensure_pnpm() {
  local want
  want=$(node -p "require('./package.json').packageManager.split('@')[1]")
  if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
    echo "› installing pnpm $want with npm"
    npm install --global --no-fund --no-audit "pnpm@$want" >/dev/null
  fi
}

# A Debian package the tests or the cluster need: present (its binary), installed with apt-get when we are root,
# or else a message saying how.
ensure_deb() {
  local package=$1 binary=$2 needed_by=$3
  [ -x "$binary" ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "› installing $package with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  else
    echo "✗ $binary is missing; $needed_by: sudo apt-get install -y $package" >&2
    return 1
  fi
}

# The browser tests drive Debian's chromium (playwright-core never downloads one); a new CI machine lacks it.
ensure_chromium() { ensure_deb chromium /usr/bin/chromium 'the browser tests need it'; }

# The cluster's proxies (pnpm cluster, tests/cluster) are Debian's haproxy.
ensure_haproxy() { ensure_deb haproxy /usr/sbin/haproxy 'the cluster needs it'; }

pg_up()    { pg_isready -q -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" 2>/dev/null || (exec 3<>"/dev/tcp/${PGHOST:-127.0.0.1}/${PGPORT:-5432}") 2>/dev/null; }
redis_up() { [ "$( (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3) 2>/dev/null)" = "+PONG" ]; }
nats_up()  { (exec 3<>/dev/tcp/127.0.0.1/4222 && timeout 2 head -c 4 <&3 | grep -q INFO) 2>/dev/null; }

# Checks that Postgres, Redis and NATS answer; with "start", starts the ones that do not (this machine's way).
check_services() {
  local mode=${1:-check} missing=()
  pg_up || missing+=(postgres)
  redis_up || missing+=(redis)
  nats_up || missing+=(nats)
  if [ ${#missing[@]} -gt 0 ] && [ "$mode" = start ]; then
    for s in "${missing[@]}"; do
      echo "› starting $s"
      case $s in
        postgres) pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true ;;
        redis) redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true ;;
        nats) start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true ;;
      esac
    done
    for _ in $(seq 1 30); do pg_up && redis_up && nats_up && break; sleep 1; done
    missing=()
    pg_up || missing+=(postgres)
    redis_up || missing+=(redis)
    nats_up || missing+=(nats)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "✗ not answering: ${missing[*]} (expected on 127.0.0.1: Postgres 5432, Redis 6379, NATS with JetStream 4222;" >&2
    echo "  with Docker: docker compose -f infra/docker-compose.yml up -d)" >&2
    return 1
  fi
  echo "✓ Postgres, Redis and NATS answer"
}
