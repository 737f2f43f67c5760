#!/usr/bin/env bash
# Two web machines on one host: two gunicorn processes started from the Procfile, each with a
# local folder of its own (nothing shared on disk), sharing one PostgreSQL database, one Redis and
# one S3-compatible bucket (moto's server stands in for it), plus a Celery worker and the one beat.
# HR signs in on web 1, previews a staff import there, confirms it on web 2, and the rows must be
# in the database. Exits non-zero on any failure; stops everything it started on exit.
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379: .ci/run starts them.
# By hand: bash .ci/multi_web.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
PY="${PY:-$ROOT/.venv/bin/python}"
export PATH="$(dirname "$PY"):$PATH"  # gunicorn, celery and honcho of the Procfile
PG_SERVER="${PG_SERVER:-postgres://postgres@127.0.0.1:5432}"
REDIS_SERVER="${REDIS_SERVER:-redis://127.0.0.1:6379}"
DB_NAME="mentorat_multiweb_$(date +%s)_${RANDOM}"
WORK=$(mktemp -d /tmp/mentorat-multiweb.XXXXXX)
read -r WEB1_PORT WEB2_PORT S3_PORT < <("$PY" -c '
import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
')

pids=()
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    # Each process was started in a session of its own: stop its whole group (honcho's children too).
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for _ in $(seq 1 100); do
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" -eq 0 ] && break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "$status" -ne 0 ]; then
        for log in "$WORK"/*.log; do
            [ -e "$log" ] || continue
            echo "--- $(basename "$log") (last 40 lines)"
            tail -n 40 "$log"
        done
    fi
    psql "$PG_SERVER/postgres" -qc "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
    echo "multi_web: $([ "$status" -eq 0 ] && echo passed || echo "FAILED (status $status)") in $SECONDS s"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# What every machine reads from its environment (docs/deployment.md).
export DEBUG=0 SECRET_KEY="multi-web-ci-$(head -c 24 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
export ALLOWED_HOSTS=127.0.0.1 BEHIND_PROXY=1 EMAIL_URL=console:// LOG_LEVEL=WARNING
export DATABASE_URL="$PG_SERVER/$DB_NAME" REDIS_URL="$REDIS_SERVER/13" CONN_MAX_AGE=60
export AWS_STORAGE_BUCKET_NAME=mentorat-multiweb AWS_S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT"
export AWS_ACCESS_KEY_ID=multiweb AWS_SECRET_ACCESS_KEY=multiweb AWS_S3_REGION_NAME=us-east-1
export WEB_CONCURRENCY=2 WORKER_CONCURRENCY=1
unset CELERY_TASK_ALWAYS_EAGER

echo "database $DB_NAME, web 1 on :$WEB1_PORT, web 2 on :$WEB2_PORT, bucket on :$S3_PORT"
setsid "$PY" -m moto.server -H 127.0.0.1 -p "$S3_PORT" >"$WORK/s3.log" 2>&1 &
pids+=($!)
psql "$PG_SERVER/postgres" -qc "CREATE DATABASE $DB_NAME"
"$PY" -c '
import os, time, boto3
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"], region_name=os.environ["AWS_S3_REGION_NAME"])
for attempt in range(100):
    try:
        s3.create_bucket(Bucket=os.environ["AWS_STORAGE_BUCKET_NAME"])
        break
    except Exception:
        time.sleep(0.2)
else:
    raise SystemExit("the S3 server did not start")
'

# The one-shot release step: migrate (and the hashed static files, in parallel: they need no database).
MENTORAT_VAR_DIR="$WORK/release" "$PY" manage.py collectstatic --noinput -v0 >"$WORK/collectstatic.log" 2>&1 &
collect=$!
MENTORAT_VAR_DIR="$WORK/release" "$PY" manage.py migrate --noinput >"$WORK/migrate.log" 2>&1
wait "$collect"
echo "migrated and collected (+$SECONDS s)"

# An HR account, a school year and two schools for the file.
MENTORAT_VAR_DIR="$WORK/release" "$PY" manage.py shell -v0 -c '
from mentorat import factories as f
from roles.models import Role
hr = f.person_with_account("rh.multiweb@example.org")
f.give_role(hr, Role.HR)
hr.user.set_password("Multi-web-2026")
hr.user.save()
year = f.SchoolYearFactory()
for code in ("E001", "E002"):
    f.SchoolFactory(code=code)
print("school year", year.pk)
' >"$WORK/setup.log"
YEAR_PK=$(awk '/^school year/ {print $3}' "$WORK/setup.log")

# The machines: each process from the Procfile, each web with its own local folder.
start() {
    local name=$1 port=$2 process=$3
    mkdir -p "$WORK/$name"
    MENTORAT_VAR_DIR="$WORK/$name" setsid honcho -f "$ROOT/Procfile" -d "$ROOT" start --port "$port" "$process" \
        >"$WORK/$name.log" 2>&1 &
    pids+=($!)
}
start web1 "$WEB1_PORT" web
start web2 "$WEB2_PORT" web
start worker 0 worker
start beat 0 beat

for port in "$WEB1_PORT" "$WEB2_PORT"; do
    for _ in $(seq 1 120); do
        curl -fsS "http://127.0.0.1:$port/health/" >/dev/null 2>&1 && break
        sleep 0.5
    done
done
echo "both web processes answer (+$SECONDS s)"

"$PY" .ci/multi_web_check.py \
    --web1 "http://127.0.0.1:$WEB1_PORT" --web2 "http://127.0.0.1:$WEB2_PORT" \
    --email rh.multiweb@example.org --password Multi-web-2026 --year "$YEAR_PK"

for name in web1 web2 worker beat; do
    grep -q "Traceback" "$WORK/$name.log" && { echo "$name logged a traceback"; exit 1; }
done
for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "a process stopped on its own (pid $pid)"; exit 1; }
done
