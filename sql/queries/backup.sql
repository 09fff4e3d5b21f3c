-- Backups and restores (`vanbang backup`, `vanbang restore`, docs/operations.md).

-- name: backup_server_version
-- The server's major version (pg_dump and pg_restore must be of it) and its full version.
SELECT current_setting('server_version_num')::int / 10000 AS major,
       current_setting('server_version') AS version

-- name: backup_user_objects
-- What the database holds beyond a fresh CREATE DATABASE: relations, functions, types,
-- schemas and extensions of its own (a few names, to say why a restore is refused).
SELECT name FROM (
    SELECT format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
    UNION ALL
    SELECT format('%I.%I()', n.nspname, p.proname)
    FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL
    SELECT format('%I.%I', n.nspname, t.typname)
    FROM pg_type AS t JOIN pg_namespace AS n ON n.oid = t.typnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND t.typtype IN ('e', 'd', 'r', 'm')
    UNION ALL
    SELECT format('schema %I', nspname) FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public')
      AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp\_%'
    UNION ALL
    SELECT format('extension %I', extname) FROM pg_extension WHERE extname <> 'plpgsql'
) AS objects
ORDER BY name
LIMIT $1
