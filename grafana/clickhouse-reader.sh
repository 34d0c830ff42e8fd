#!/bin/bash
# Run once by the ClickHouse image on a fresh volume (/docker-entrypoint-initdb.d), as the owner:
# the two readers' logins. What they may read is the role's: SELECT on the analytics tables and
# views, their tenant's rows only, bounded queries; the migration runner keeps the role's grants,
# row policies and limits (infra/analytics/access/reader-access.ts).
# - the query API's user, which names each request's tenant in the setting SQL_tenant_id;
# - Grafana's, pinned to one tenant (GRAFANA_TENANT_ID): CONST, so a dashboard's SQL cannot name
#   another. One Grafana user per tenant; none is created without a tenant.
set -euo pipefail
quote() { printf "'%s'" "${1//\'/\'\'}"; }
role=analytics_reader
sql="CREATE ROLE IF NOT EXISTS ${role};
CREATE USER IF NOT EXISTS ${CLICKHOUSE_READER_USER} IDENTIFIED WITH sha256_password BY $(quote "$CLICKHOUSE_READER_PASSWORD");
GRANT ${role} TO ${CLICKHOUSE_READER_USER};"
if [ -n "${GRAFANA_TENANT_ID:-}" ]; then
  sql+="
CREATE USER IF NOT EXISTS ${GRAFANA_CLICKHOUSE_USER} IDENTIFIED WITH sha256_password BY $(quote "$GRAFANA_CLICKHOUSE_PASSWORD")
  SETTINGS SQL_tenant_id = $(quote "$GRAFANA_TENANT_ID") CONST;
GRANT ${role} TO ${GRAFANA_CLICKHOUSE_USER};"
fi
clickhouse client --user "$CLICKHOUSE_USER" --password "$CLICKHOUSE_PASSWORD" --multiquery <<<"$sql"
