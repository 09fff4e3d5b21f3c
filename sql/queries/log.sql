-- The issuance log: sequencing queued events into leaves, and reading roots and proofs.

-- name: log_sequencer_lock
-- One sequencer at a time across every server process; the others skip their turn.
SELECT pg_try_advisory_xact_lock(7346291840553)

-- name: log_take_queued
DELETE FROM log_queue
WHERE id IN (SELECT id FROM log_queue ORDER BY id LIMIT $1)
RETURNING id, event_type, issuer_code, diploma_id, record_hash, event_time

-- name: log_latest_checkpoint
SELECT size, root, note, created_at FROM log_checkpoints ORDER BY size DESC LIMIT 1

-- name: log_checkpoint_of_size
SELECT size, root, note, created_at FROM log_checkpoints WHERE size = $1

-- name: log_nodes
-- The stored subtrees named by ($1 levels, $2 indices); level 0 is the leaves.
SELECT n.level, n.idx, n.hash
FROM unnest($1::smallint[], $2::bigint[]) AS w (level, idx)
JOIN log_nodes AS n ON n.level = w.level AND n.idx = w.idx
WHERE w.level > 0
UNION ALL
SELECT 0::smallint, l.idx, l.leaf_hash
FROM unnest($1::smallint[], $2::bigint[]) AS w (level, idx)
JOIN log_leaves AS l ON l.idx = w.idx
WHERE w.level = 0

-- name: log_insert_checkpoint
INSERT INTO log_checkpoints (size, root, note, created_at) VALUES ($1, $2, $3, $4)

-- name: log_leaf_by_hash
SELECT idx, leaf_hash, data FROM log_leaves WHERE leaf_hash = $1

-- name: log_leaf_by_index
SELECT idx, leaf_hash, data FROM log_leaves WHERE idx = $1

-- name: log_queue_length
SELECT count(*) FROM log_queue

-- name: log_leaves_range
-- The leaves from index $1 on, in order, for the audit's recomputation and for followers.
SELECT idx, event_type, issuer_code, diploma_id, record_hash, event_time, data, leaf_hash
FROM log_leaves WHERE idx >= $1 ORDER BY idx LIMIT $2

-- name: log_issue_leaf
SELECT idx, leaf_hash, data FROM log_leaves WHERE diploma_id = $1 AND event_type = 'issue'

-- name: log_all_checkpoints
SELECT size, root, note, created_at FROM log_checkpoints ORDER BY size

-- name: log_nodes_ending
-- Stored subtrees above the leaves whose last leaf is one of the leaves $1 .. $2 - 1: at each
-- level, the indices from $1 >> level up to $2 >> level (by primary key), for the audit, which
-- rebuilds the tree a chunk of leaves at a time.
SELECT n.level, n.idx, n.hash
FROM generate_series(1, 62) AS l (level)
JOIN log_nodes AS n
    ON n.level = l.level AND n.idx >= ($1::bigint >> l.level) AND n.idx < ($2::bigint >> l.level)

-- name: log_event_count
-- The register events the audit compares with the leaves (a statement of spoiled blanks once).
SELECT (SELECT count(*) FROM diplomas)
    + (SELECT count(*) FROM corrections)
    + (SELECT count(*) FROM reissues)
    + (SELECT count(*) FROM revocations)
    + (SELECT count(*) FROM certified_copies)
    + (SELECT count(*) FROM handovers)
    + (SELECT count(*) FROM blank_receipts)
    + (SELECT count(*) FROM blank_destructions)
    + (SELECT count(DISTINCT sha256(signed)) FROM blank_events WHERE event = 'spoiled')
    + (SELECT count(*) FROM custody_transfers)

-- name: log_unlogged_events
-- Register events with no leaf (and none queued): a row written around the log, or a record
-- changed after it was logged (its hash no longer matches).
WITH events (event_type, ref, record_hash) AS (
    SELECT 'issue', id::text, sha256(signed) FROM diplomas
    UNION ALL SELECT 'correction', id::text, sha256(signed) FROM corrections
    UNION ALL SELECT 'reissue', id::text, sha256(signed) FROM reissues
    UNION ALL SELECT 'revocation', id::text, sha256(signed) FROM revocations
    UNION ALL SELECT 'copy', id::text, sha256(signed) FROM certified_copies
    UNION ALL SELECT 'handover', id::text, sha256(signed) FROM handovers
    UNION ALL SELECT 'blanks_received', id::text, sha256(signed) FROM blank_receipts
    UNION ALL SELECT 'blanks_destroyed', id::text, sha256(signed) FROM blank_destructions
    UNION ALL SELECT 'blanks_spoiled', min(id::text), sha256(signed)
              FROM blank_events WHERE event = 'spoiled' GROUP BY sha256(signed)
    UNION ALL SELECT 'custody_transfer', id::text, sha256(signed) FROM custody_transfers
)
SELECT e.event_type, e.ref FROM events AS e
WHERE NOT EXISTS (
    SELECT 1 FROM log_leaves AS l
    WHERE l.record_hash = e.record_hash AND l.event_type = e.event_type
)
AND NOT EXISTS (SELECT 1 FROM log_queue AS q WHERE q.record_hash = e.record_hash)
ORDER BY 1, 2
LIMIT 100

-- name: log_orphan_leaves
-- Leaves whose record is gone from the register: deleted, or changed in place.
WITH events (event_type, record_hash) AS (
    SELECT 'issue', sha256(signed) FROM diplomas
    UNION ALL SELECT 'correction', sha256(signed) FROM corrections
    UNION ALL SELECT 'reissue', sha256(signed) FROM reissues
    UNION ALL SELECT 'revocation', sha256(signed) FROM revocations
    UNION ALL SELECT 'copy', sha256(signed) FROM certified_copies
    UNION ALL SELECT 'handover', sha256(signed) FROM handovers
    UNION ALL SELECT 'blanks_received', sha256(signed) FROM blank_receipts
    UNION ALL SELECT 'blanks_destroyed', sha256(signed) FROM blank_destructions
    UNION ALL SELECT 'blanks_spoiled', sha256(signed) FROM blank_events WHERE event = 'spoiled'
    UNION ALL SELECT 'custody_transfer', sha256(signed) FROM custody_transfers
)
SELECT l.idx, l.event_type FROM log_leaves AS l
WHERE NOT EXISTS (
    SELECT 1 FROM events AS e
    WHERE e.record_hash = l.record_hash AND e.event_type = l.event_type
)
ORDER BY l.idx
LIMIT 100

-- name: log_diploma_leaves
-- A diploma's leaves (its issue, corrections, revocation, re-issue, copies, handover), for
-- its page: each with the proof of its inclusion.
SELECT idx, event_type, event_time, leaf_hash, data FROM log_leaves
WHERE diploma_id = $1 ORDER BY idx

-- name: log_diplomas_queued_count
-- How many events of these diplomas still wait for the sequencer.
SELECT count(*) FROM log_queue WHERE diploma_id = ANY($1::uuid[])

-- name: log_diploma_queued
-- A diploma's events still waiting for the sequencer.
SELECT event_type, event_time FROM log_queue WHERE diploma_id = $1 ORDER BY id

-- name: log_tile_leaf_hashes
-- A level-0 tile (C2SP tlog-tiles): the leaf hashes of leaves $1 .. $2 - 1, by primary key.
SELECT leaf_hash AS hash FROM log_leaves WHERE idx >= $1 AND idx < $2 ORDER BY idx

-- name: log_tile_nodes
-- A tile above level 0: the subtrees of level $1 (a multiple of 8) from index $2 to $3 - 1.
SELECT hash FROM log_nodes WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx

-- name: log_tile_entries
-- An entry bundle: the data of leaves $1 .. $2 - 1, whose leaf hashes level-0 tile holds.
SELECT data FROM log_leaves WHERE idx >= $1 AND idx < $2 ORDER BY idx

-- name: log_diploma_leaf
-- Leaf $1 when it is one of diploma $2's.
SELECT idx, data FROM log_leaves WHERE idx = $1 AND diploma_id = $2

-- name: log_version_leaf
-- The leaf of a diploma's version: its issue for version 1, else the correction that made it
-- (whose leaf names the correction's signed statement).
SELECT l.idx FROM log_leaves AS l
WHERE l.diploma_id = $1 AND (
    ($2::integer = 1 AND l.event_type = 'issue')
    OR (l.event_type = 'correction' AND l.record_hash = (
        SELECT sha256(c.signed) FROM corrections AS c WHERE c.diploma_id = $1 AND c.version = $2
    ))
)
