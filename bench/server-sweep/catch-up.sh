#!/bin/bash
# The catch-up part of the README's commands on a fresh database, three times: each run restarts the
# server first (a fresh server's first catch-up), then resets and sweeps again (warm). Needs the jar built
# and a local PostgreSQL; drops the sweepbench database at the end.
set -u
cd "$(dirname "$0")/../.."
export KEYTURN_DB_URL=jdbc:postgresql://127.0.0.1:5432/sweepbench KEYTURN_DB_USER=postgres \
  KEYTURN_ADMIN_PASSWORD=bench-password KEYTURN_TEST_CLOCK_ENABLED=true KEYTURN_SCHEDULER_ENABLED=false \
  KEYTURN_DATA_DIR=/tmp/sweepbench-data
A='-u admin:bench-password'
start() {
  java -Xmx512m -jar keyturn-server/target/keyturn-server.jar --server.port=18080 > /tmp/sweepbench-server.log 2>&1 &
  PID=$!
  for i in $(seq 1 90); do curl -s -o /dev/null localhost:18080/actuator/health && return; sleep 1; done
}
stop() { kill $PID; wait $PID 2>/dev/null; }
psql -q -h 127.0.0.1 -U postgres -c 'drop database if exists sweepbench' -c 'create database sweepbench'
mkdir -p /tmp/sweepbench-data
start
echo "seed: $( { time psql -q -h 127.0.0.1 -U postgres -d sweepbench -f bench/server-sweep/seed.sql > /dev/null; } 2>&1 | grep real)"
psql -q -h 127.0.0.1 -U postgres -d sweepbench -c "update licenses set is_current = true where id like 'lic_bench_%'"
psql -q -h 127.0.0.1 -U postgres -d sweepbench -c 'vacuum analyze'
for run in 1 2 3; do
  [ $run -gt 1 ] && { psql -q -h 127.0.0.1 -U postgres -d sweepbench -f bench/server-sweep/reset.sql > /dev/null; stop; start; }
  echo "run $run idle: $(curl -s $A -X POST 'localhost:18080/api/v1/automation/run?deliver=false')"
  curl -s -o /dev/null $A -H Content-Type:application/json -X POST localhost:18080/api/v1/test-clock -d '{"advance":"P37DT12H"}'
  echo "run $run cold catch-up (load $(cut -d' ' -f1 /proc/loadavg)): $(curl -s $A -X POST 'localhost:18080/api/v1/automation/run?deliver=false')"
  psql -q -h 127.0.0.1 -U postgres -d sweepbench -f bench/server-sweep/reset.sql > /dev/null
  echo "run $run warm catch-up (load $(cut -d' ' -f1 /proc/loadavg)): $(curl -s $A -X POST 'localhost:18080/api/v1/automation/run?deliver=false')"
done
stop
[ -n "${KEEP:-}" ] || { psql -q -h 127.0.0.1 -U postgres -c 'drop database sweepbench'; rm -rf /tmp/sweepbench-data; }
