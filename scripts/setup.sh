#!/usr/bin/env bash
# Idempotent set-up behind the README's two commands, quick when everything is in place.
#   setup.sh start   what running the workbench needs: Debian build libraries for Theia's
#                    native modules, npm dependencies, a build.
#   setup.sh test    the same, plus Chromium, MariaDB and Redis installed where missing and
#                    started where not running (MariaDB: root over 127.0.0.1, empty password,
#                    database `test`).
# Never assume a service that answered yesterday still runs today.
set -euo pipefail

mode=${1:-start}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

log() { printf '[setup] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else log "needs root: $*"; exit 1; fi; }

# ---- Debian packages ----------------------------------------------------------------
packages=(python3 make g++ pkg-config libsecret-1-dev libxkbfile-dev)
if [ "$mode" = test ]; then
    packages+=(chromium mariadb-server mariadb-client redis-server)
fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- npm dependencies (npm ci only when the lock file changed) -----------------------
# The desktop app depends on the `electron` package; its binary is never needed to build
# the bundle, and cannot be downloaded on every machine (packaging fetches it, see README).
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
stamp=node_modules/.vouch-lock-sha
lock_sha=$(cat package-lock.json package.json | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sha" ]; then
    log "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_sha" > "$stamp"
fi

# ---- build: TypeScript (incremental), then the browser bundle when its inputs changed --
log "compiling TypeScript"
npx tsc -b
bundle=browser-app/lib/frontend/bundle.js
if [ ! -f "$bundle" ] || [ -n "$(find extensions/*/lib protocol/lib browser-app/package.json -newer "$bundle" -print -quit 2>/dev/null)" ]; then
    log "building the browser app"
    npm run build --silent -w @vouch/browser-app
fi

# The desktop bundle (frontend, preload, backend, main), generated without Theia's Electron
# prepare step (electron-app/scripts/build.js says why).
desktop_bundle=electron-app/lib/backend/main.js
if [ "$mode" = test ] && { [ ! -f "$desktop_bundle" ] || [ -n "$(find extensions/*/lib protocol/lib backend/lib electron-app/package.json electron-app/scripts -newer "$desktop_bundle" -print -quit 2>/dev/null)" ]; }; then
    log "building the desktop app's bundle"
    npm run build --silent -w @vouch/electron-app
fi

[ "$mode" = test ] || exit 0

# ---- MariaDB ------------------------------------------------------------------------
mariadb_tcp() { mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -u root "$@"; }
if ! mariadb_tcp -e 'SELECT 1' >/dev/null 2>&1; then
    if ! mariadb-admin ping >/dev/null 2>&1; then
        log "starting MariaDB"
        as_root install -d -o mysql -g mysql /run/mysqld
        if [ ! -d /var/lib/mysql/mysql ]; then
            as_root mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db >/dev/null
        fi
        as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- \
            --user=mysql --datadir=/var/lib/mysql --bind-address=127.0.0.1 --port=3306
        for _ in $(seq 1 60); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 0.5; done
    fi
    # Fresh Debian installs let root in over the socket only; tests log in over TCP.
    as_root mariadb -u root <<'SQL'
ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket;
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
fi
mariadb_tcp -e 'CREATE DATABASE IF NOT EXISTS test' >/dev/null
log "MariaDB answers on 127.0.0.1:3306"

# ---- Redis --------------------------------------------------------------------------
if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null
    for _ in $(seq 1 40); do redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && break; sleep 0.25; done
fi
log "Redis answers on 127.0.0.1:6379"

[ -x /usr/bin/chromium ] || { log "Chromium is missing at /usr/bin/chromium"; exit 1; }
