#!/usr/bin/env bash
# The province benchmark at the small preset, so that it cannot rot: builds the
# dataset into a unique PostgreSQL database, runs bench/province_bench.py, drops
# the database. Asserts nothing about time; fails only if the bench itself breaks.
set -euo pipefail
cd "$(dirname "$0")/.."
DB_NAME="mentorat_bench_$(date +%s)_${RANDOM}"
PG="postgres://postgres@127.0.0.1:5432"
psql "$PG/postgres" -q -c "CREATE DATABASE ${DB_NAME}"
trap 'psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)"' EXIT
export DATABASE_URL="$PG/${DB_NAME}"
.venv/bin/python bench/province_bench.py --preset small --build --runs 1 --load-seconds 3 </dev/null
