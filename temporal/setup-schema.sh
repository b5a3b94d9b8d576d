#!/bin/sh
# Runs in temporalio/admin-tools before the server starts: creates Temporal's databases on first run and
# applies pending schema versions on upgrades (temporal-sql-tool is idempotent for both).
set -eu

for db in temporal temporal_visibility; do
  schema=$([ "$db" = temporal ] && echo temporal || echo visibility)
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_HOST" -p 5432 \
    -u "$TEMPORAL_DB_USER" --pw "$TEMPORAL_DB_PASSWORD" --db "$db" create 2>/dev/null || echo "database $db exists"
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_HOST" -p 5432 \
    -u "$TEMPORAL_DB_USER" --pw "$TEMPORAL_DB_PASSWORD" --db "$db" setup-schema -v 0.0 2>/dev/null || echo "schema of $db already set up"
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_HOST" -p 5432 \
    -u "$TEMPORAL_DB_USER" --pw "$TEMPORAL_DB_PASSWORD" --db "$db" \
    update-schema -d "/etc/temporal/schema/postgresql/v12/$schema/versioned"
done
echo "Temporal schemas are up to date"
