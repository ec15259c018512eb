#!/bin/sh
# The fault suite at full length (docs/reliability.md): ten kill rounds instead of CI's
# two, and the PostgreSQL backup under load. Uses PostgreSQL on 127.0.0.1:5432 (databases
# sinmun_faults, sinmun_faults_restore), a private PostgreSQL and redis-server it starts
# itself, and mounts a tmpfs (root) for the disk-full test.
set -eu
cd "$(dirname "$0")/.."
SINMUN_FAULT_ROUNDS="${SINMUN_FAULT_ROUNDS:-10}" SINMUN_FAULTS_FULL=1 \
    exec .venv/bin/pytest tests/faults -q -p no:cacheprovider "$@"
