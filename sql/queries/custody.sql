-- Custody of registers (0024_custody.sql, docs/custody.md).

-- name: custody_lock_register
-- Serialises the transfers of one register: a transaction-level advisory lock on its code.
SELECT pg_advisory_xact_lock(hashtextextended('custody:' || $1, 0))

-- name: custody_share_register
-- A write's shared hold on the same lock: it reads who holds the register only once no
-- transfer of it is under way, and no transfer starts until the write commits.
SELECT pg_advisory_xact_lock_shared(hashtextextended('custody:' || $1, 0))

-- name: custody_chain
-- The register's transfers, oldest first.
SELECT id, register_issuer, seq, from_custodian, to_custodian, effective_on, legal_basis,
       reason, kid, recorded_at, recorded_by
FROM custody_transfers WHERE register_issuer = $1 ORDER BY seq

-- name: custody_current
-- The body holding the register now, when it passed to another (no row: the issuer's own).
SELECT to_custodian FROM custody_transfers WHERE register_issuer = $1
ORDER BY seq DESC LIMIT 1

-- name: custody_held
-- The registers of other issuers that the issuers $1 hold now.
SELECT t.register_issuer FROM custody_transfers AS t
WHERE t.to_custodian = ANY($1::text[])
  AND t.seq = (SELECT max(seq) FROM custody_transfers AS u
               WHERE u.register_issuer = t.register_issuer)
ORDER BY 1

-- name: insert_custody_transfer
-- Returns no row when the register already has a transfer with that number (a concurrent one).
INSERT INTO custody_transfers (id, register_issuer, seq, from_custodian, to_custodian,
                               effective_on, legal_basis, reason, kid, signed, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (register_issuer, seq) DO NOTHING
RETURNING id

-- name: custody_transfers_touching
-- The transfers of the registers an issuer gave away or holds, and of its own register,
-- newest first: what its supervision page shows.
SELECT t.id, t.register_issuer, r.name AS register_name, t.seq, t.from_custodian,
       f.name AS from_name, t.to_custodian, d.name AS to_name, t.effective_on,
       t.legal_basis, t.reason, t.recorded_at, a.username AS recorded_by
FROM custody_transfers AS t
JOIN issuers AS r ON r.code = t.register_issuer
JOIN issuers AS f ON f.code = t.from_custodian
JOIN issuers AS d ON d.code = t.to_custodian
LEFT JOIN accounts AS a ON a.id = t.recorded_by
WHERE t.register_issuer = ANY($1::text[]) OR t.from_custodian = ANY($1::text[])
   OR t.to_custodian = ANY($1::text[])
ORDER BY t.recorded_at DESC, t.register_issuer, t.seq DESC
LIMIT 200

-- name: trust_list_custody
-- Every custody the trust list publishes.
SELECT register_issuer, to_custodian, recorded_at, effective_on, legal_basis
FROM custody_transfers ORDER BY register_issuer, seq

-- name: custody_lock_keys
-- A transfer waits for the writes signing with the register's keys (each holds its key FOR
-- SHARE) to commit, so that none signs for the register after it passed.
SELECT kid FROM issuer_keys WHERE issuer_code = $1 AND not_after IS NULL FOR UPDATE
