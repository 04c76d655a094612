#!/bin/bash
# First start of the PostgreSQL container: one role and one database per antt service (and
# one for Keycloak).
# Each role owns its database and nothing else; PUBLIC may not connect to any of them, so a
# service's credentials open only its own event store.
set -euo pipefail

for service in registration review notification reporting; do
  password_var="ANTT_${service^^}_DB_PASSWORD"
  password="${!password_var:?$password_var is not set}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="antt_${service}" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done

# The bundled identity provider's own database (Keycloak), reachable by its role only.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v role=keycloak -v password="${KEYCLOAK_DB_PASSWORD:?KEYCLOAK_DB_PASSWORD is not set}" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
