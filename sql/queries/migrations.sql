-- Bookkeeping for the numbered, forward-only migrations in sql/migrations/.

-- name: create_schema_migrations
CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum bytea NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)

-- name: lock_migrations
-- Held until the migrating transaction ends: two processes starting at once migrate once.
SELECT pg_advisory_xact_lock(8641372066)

-- name: applied_migrations
SELECT version, name, checksum FROM schema_migrations ORDER BY version

-- name: record_migration
INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)
