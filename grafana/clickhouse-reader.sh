#!/bin/bash
# Run once by the ClickHouse image on a fresh volume (/docker-entrypoint-initdb.d): a read-only
# user for Grafana, limited to the analytics database.
set -euo pipefail
clickhouse client --user "$CLICKHOUSE_USER" --password "$CLICKHOUSE_PASSWORD" --multiquery <<SQL
CREATE USER IF NOT EXISTS ${CLICKHOUSE_READER_USER} IDENTIFIED WITH sha256_password BY '${CLICKHOUSE_READER_PASSWORD}';
GRANT SELECT ON ${CLICKHOUSE_DB}.* TO ${CLICKHOUSE_READER_USER};
SQL
