#!/bin/sh
# Check-in throughput and latency against a do-nothing endpoint of the same server (the ceiling).
# Usage: bench/server-checkin/run.sh [duration, default 20s] [connections, default 32]
# Needs wrk and python3. Builds the server, starts it on a fresh H2 folder (or KEYTURN_DB_URL) on port 18080.
# JAR=path runs that server jar instead of building one (to compare two builds in one session);
# JAVA_OPTS adds JVM options (a JFR recording, say).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
duration=${1:-20s}
connections=${2:-32}
port=${PORT:-18080}
data=$(mktemp -d)
cd "$root"
jar=${JAR:-}
if [ -z "$jar" ]; then
  ./mvnw -q -B -pl keyturn-server -am package -DskipTests
  jar=keyturn-server/target/keyturn-server.jar
fi
KEYTURN_ADMIN_PASSWORD=bench-admin-password KEYTURN_DATA_DIR="$data" \
  java ${JAVA_OPTS:-} -jar "$jar" --server.port=$port --keyturn.bench.enabled=true \
  --logging.level.root=WARN > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server; rm -rf "$data"' EXIT
base=http://127.0.0.1:$port
until curl -sf $base/actuator/health > /dev/null; do sleep 1; done

auth='-u admin:bench-admin-password'
sub=$(curl -sf $auth -H 'Content-Type: application/json' -X POST $base/api/v1/subscriptions \
  -d '{"display_name":"Bench Corp","customer_type":"INTERNAL","tier":"medium","limits":{"users":100}}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf $auth -H 'Content-Type: application/json' -X POST $base/api/v1/subscriptions/$sub/licenses \
  -d '{"duration":"P365D"}' > "$data/license.json"
KT_LICENSE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$data/license.json")
# The client's token: kt_lic_ + hex SHA-256 of the signature bytes.
KT_TOKEN=$(python3 -c '
import base64, hashlib, json, re, sys
text = json.load(open(sys.argv[1]))["text"]
value = re.search(r"value = \"\"\"(.*?)\"\"\"", text, re.S).group(1)
print("kt_lic_" + hashlib.sha256(base64.b64decode("".join(value.split()))).hexdigest())' "$data/license.json")
export KT_LICENSE KT_TOKEN
# The reference endpoints answer (they exist only with keyturn.bench.enabled); wrk would count errors.
curl -sf -X POST $base/api/v1/bench/noop > /dev/null
curl -sf -X POST $base/api/v1/bench/noop-read > /dev/null

# The server's CPU per request (utime + stime from /proc, clock ticks): unlike requests per second it
# hardly depends on what else the machine runs. With H2 it includes the database; with PostgreSQL not.
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' /proc/$server/stat; }
# The JIT compiler's threads (C1 and C2), in the same ticks: compiling competes with the requests for
# the cores, so it is reported, and the warm-up goes on until it is quiet.
jit() {
  for task in /proc/$server/task/*; do
    if grep -q '^C[12] Compiler' "$task/comm" 2>/dev/null; then awk '{print $14 + $15}' "$task/stat"; fi
  done | awk '{s += $1} END {print s + 0}'
}
measure() { # label, script, path
  before=$(cpu)
  jit_before=$(jit)
  out=$(wrk -t2 -c$connections -d$duration --latency -s "$2" $base$3)
  after=$(cpu)
  echo "$out"
  echo "JIT compiler ($1): $((100 * ($(jit) - jit_before) / (after - before + 1))) % of the server's CPU"
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "server CPU per request ($1): $(awk -v c=$((after - before)) -v n=$requests -v t=$ticks \
    'BEGIN {printf "%.1f us (%d requests, %.2f s)", 1e6 * c / t / n, n, c / t}')"
}

lua="$root/bench/server-checkin/checkin.lua"
# Warm up the three paths (the writing one too), in rounds until the JIT compiler spends under 5 % of
# the server's CPU in a round (at most WARMUP_ROUNDS, default 8): after one round of 10 s each, C2 still
# took 12-37 % of the server's CPU during the measurements, more on the paths that compile more.
round=0
while :; do
  round=$((round + 1))
  before=$(cpu)
  jit_before=$(jit)
  wrk -t2 -c$connections -d${WARMUP:-10s} -s "$lua" $base/api/v1/bench/noop > /dev/null
  wrk -t2 -c$connections -d${WARMUP:-10s} -s "$lua" $base/api/v1/bench/noop-read > /dev/null
  wrk -t2 -c$connections -d${WARMUP:-10s} -s "$lua" $base/api/v1/check-in > /dev/null
  wrk -t2 -c$connections -d${WARMUP:-10s} -s "$root/bench/server-checkin/checkin-changing.lua" \
    $base/api/v1/check-in > /dev/null
  share=$((100 * ($(jit) - jit_before) / ($(cpu) - before + 1)))
  echo "warm-up round $round: JIT compiler $share % of the server's CPU"
  if [ $share -lt 5 ] || [ $round -ge ${WARMUP_ROUNDS:-8} ]; then break; fi
done
echo "== ceiling: POST /api/v1/bench/noop"
measure ceiling "$lua" /api/v1/bench/noop
echo "== floor of a check-in that reads: the same with one database round trip (select 1)"
measure read-floor "$lua" /api/v1/bench/noop-read
echo "== check-in, the same report again (stored once a minute): POST /api/v1/check-in"
measure same "$lua" /api/v1/check-in
echo "== check-in, a changed report every time (each one written): POST /api/v1/check-in"
measure changing "$root/bench/server-checkin/checkin-changing.lua" /api/v1/check-in
curl -s $auth $base/actuator/prometheus | grep '^keyturn_check_ins_total'
