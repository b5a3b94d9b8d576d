#!/bin/bash
# First start of the postgres container only: a role and database for the platform, a role for Temporal
# (which creates its own two databases through temporal-sql-tool, hence CREATEDB).
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_password="$POSTGRES_APP_PASSWORD" \
  -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE reelbase LOGIN PASSWORD :'app_password';
CREATE DATABASE reelbase OWNER reelbase;
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password';
SQL
