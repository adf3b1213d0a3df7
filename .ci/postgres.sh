# Sourced by .ci/run: starts a throwaway PostgreSQL cluster for the hub's tests (initdb in a temp
# folder, pg_ctl on a free port, as the unprivileged `postgres` user when run as root) and exports
# SHOPFLEET_TEST_DATABASE_URL, so server/**/*.test.ts run against PGlite and a real PostgreSQL.
# The cluster is stopped when the calling shell exits.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pg_bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)"; exit 1; }
pg_dir=$(mktemp -d /tmp/shopfleet-pg.XXXXXX)
pg_port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U shopfleet --auth=trust -E UTF8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" -l "$pg_dir/log" -w start >/dev/null
trap 'as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true' EXIT
export SHOPFLEET_TEST_DATABASE_URL="postgres://shopfleet@127.0.0.1:$pg_port/postgres"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on port $pg_port for the hub tests"
