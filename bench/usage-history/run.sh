#!/bin/bash
# The usage history's year query (UsageStore.days, as GET /api/v1/subscriptions/{id}/usage runs it) on a
# seeded fleet, with pgbench; each figure beside two floors measured in the same run: the same query on an
# empty copy of the table, and a bare "select 1". Needs a local PostgreSQL (127.0.0.1:5432, user postgres).
# Usage: bench/usage-history/run.sh [seconds per measurement, default 20]
set -eu
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-20}
DB=usagebench
PSQL="psql -q -h 127.0.0.1 -U postgres"
psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $DB" -c "create database $DB"
$PSQL -d $DB -f keyturn-server/src/main/resources/db/migration/V34__usage.sql
# What V34_3__Usage_daily_covering_key does on PostgreSQL (COVERING=0 leaves it out, to compare).
if [ "${COVERING:-1}" = 1 ]; then
  $PSQL -d $DB -c "$(sed -n '/POSTGRES =/,/;$/p' keyturn-server/src/main/java/db/migration/V34_3__Usage_daily_covering_key.java | grep -o '"[^"]*"' | tr -d '"\n')"
fi
$PSQL -d $DB -c 'create table usage_daily_empty (like usage_daily including all)'
echo "seed: $( { time $PSQL -d $DB -f bench/usage-history/seed.sql > /dev/null; } 2>&1 | grep real)"
$PSQL -d $DB -c 'vacuum analyze'
$PSQL -d $DB -Atc "select 'usage_daily rows: ' || count(*) from usage_daily"
$PSQL -d $DB -Atc "select 'usage_daily size (table + indexes): ' || pg_size_pretty(pg_total_relation_size('usage_daily'))"
$PSQL -d $DB -Atc "select 'usage_reports rows: ' || count(*) from usage_reports"
echo "plan:"
$PSQL -d $DB -c "explain (analyze, buffers) select usage_day, limit_name, max(max_value) as max_value from usage_daily where subscription_id = 'sub_bench_4242' and usage_day >= date '2026-01-01' and usage_day < date '2027-01-01' group by usage_day, limit_name order by usage_day, limit_name"
LOGS=$(mktemp -d)
measure() { # name script
  rm -f "$LOGS"/pgbench_log.*
  (cd "$LOGS" && pgbench -n -h 127.0.0.1 -U postgres -M prepared -c 1 -T "$SECONDS_EACH" -l -f "$OLDPWD/bench/usage-history/$2" $DB > "$LOGS/out.txt")
  # Column 3 of pgbench's per-transaction log is the latency in microseconds.
  avg=$(sed -n 's/^latency average = \(.*\) ms$/\1/p' "$LOGS/out.txt")
  sort -n -k3,3 "$LOGS"/pgbench_log.* | awk -v name="$1" -v avg="$avg" -v ld="$(cut -d' ' -f1 /proc/loadavg)" '
    { l[NR] = $3 } END {
      printf "%-28s n=%-7d avg=%7.3f ms  p50=%7.3f ms  p95=%7.3f ms  p99=%7.3f ms  max=%8.3f ms  (load %s)\n",
        name, NR, avg, l[int(NR*0.50)]/1000, l[int(NR*0.95)]/1000, l[int(NR*0.99)]/1000, l[NR]/1000, ld }'
}
for run in 1 2 3; do
  echo "run $run:"
  measure "floor: select 1" floor.sql
  measure "floor: year on empty table" year-empty.sql
  measure "a subscription's year" year.sql
done
rm -rf "$LOGS"
[ -n "${KEEP:-}" ] || $PSQL -c "drop database $DB"
