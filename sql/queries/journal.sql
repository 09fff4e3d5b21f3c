-- The staff journal: appended to, read within a scope, never changed.

-- name: append_journal
INSERT INTO staff_journal (account_id, token_id, action, issuer_code, record_type, record_id,
                           request_id, client, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id

-- name: read_journal
-- Entries of the issuers under $1 (itself included; every entry when $1 is NULL), optionally
-- of issuer $2 only, of account $3 and with action $4 (or one under it: "account" matches
-- "account.created"), from time $5; after the cursor ($6 transaction, $7 id), at most $8.
-- Only entries of transactions older than every one still running: an entry's transaction
-- may commit after a later one's, and reading in (tx, id) order below that horizon, no entry
-- can appear later before the cursor (docs/accounts.md).
WITH RECURSIVE subtree (code, depth) AS (
    SELECT code, 0 FROM issuers WHERE code = $1
    UNION ALL
    SELECT i.code, s.depth + 1 FROM issuers AS i JOIN subtree AS s ON i.parent_code = s.code
    WHERE s.depth < 32
)
SELECT j.id, j.tx::text AS tx, j.at, j.account_id, a.username, j.token_id, j.action,
       j.issuer_code, j.record_type, j.record_id, j.request_id, j.client, j.detail
FROM staff_journal AS j
LEFT JOIN accounts AS a ON a.id = j.account_id
WHERE ($1::text IS NULL OR j.issuer_code IN (SELECT code FROM subtree))
  AND ($2::text IS NULL OR j.issuer_code = $2)
  AND ($3::uuid IS NULL OR j.account_id = $3)
  AND ($4::text IS NULL OR j.action = $4 OR starts_with(j.action, $4 || '.'))
  AND ($5::timestamptz IS NULL OR j.at >= $5)
  AND (j.tx, j.id) > ($6::text::xid8, $7::bigint)
  AND j.tx < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY j.tx, j.id
LIMIT $8

-- name: account_id_by_name
SELECT id FROM accounts WHERE username = $1

-- name: set_actor
-- The account a write acts for, until its transaction ends: the register's rows take it as
-- their recorded_by (sql/migrations/0008_accounts.sql).
SELECT set_config('vanbang.account_id', $1, true)
