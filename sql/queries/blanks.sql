-- Blank forms (phôi, Circular 21 Art. 9-11): received ranges, their use by registration,
-- spoiled and destroyed blanks, and the yearly report.

-- name: lock_blanks
-- Serialises every change to one issuer's blanks of one kind (receipts, uses, spoiled,
-- destroyed) until the transaction ends. Taken before the register counter's row lock.
SELECT pg_advisory_xact_lock(hashtextextended('blanks:' || $1 || ':' || $2, 0))

-- name: overlapping_receipt
SELECT first_number, last_number, received_on FROM blank_receipts
WHERE issuer_code = $1 AND kind = $2 AND prefix = $3 AND digits = $4
  AND first_number <= $6 AND last_number >= $5
LIMIT 1

-- name: insert_receipt
INSERT INTO blank_receipts (id, issuer_code, kind, prefix, digits, first_number, last_number,
                            received_on, reference, kid, signed, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)

-- name: blank_states
-- For each serial ($3, split into prefix $4, number $5 and digits $6; a NULL prefix never
-- matches): the received range it is in, the diploma printed on it, and its events.
SELECT s.serial, r.id AS receipt_id, d.id AS diploma_id,
       coalesce((SELECT array_agg(e.event) FROM blank_events AS e
                 WHERE e.issuer_code = $1 AND e.kind = $2 AND e.serial = s.serial),
                '{}') AS events
FROM unnest($3::text[], $4::text[], $5::bigint[], $6::integer[])
     WITH ORDINALITY AS s (serial, prefix, n, digits, ord)
LEFT JOIN LATERAL (
    SELECT id FROM blank_receipts AS r
    WHERE r.issuer_code = $1 AND r.kind = $2 AND r.prefix = s.prefix AND r.digits = s.digits
      AND s.n BETWEEN r.first_number AND r.last_number
    LIMIT 1
) AS r ON true
LEFT JOIN diplomas AS d ON d.serial = s.serial AND d.issuer_code = $1 AND d.kind = $2
ORDER BY s.ord

-- name: insert_blank_uses
INSERT INTO blank_uses (issuer_code, kind, serial, receipt_id, diploma_id)
SELECT $1, $2, * FROM unnest($3::text[], $4::uuid[], $5::uuid[])

-- name: insert_destruction
INSERT INTO blank_destructions (id, issuer_code, kind, minutes_number, council, reason, method,
                                destroyed_on, kid, signed, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)

-- name: insert_blank_events
INSERT INTO blank_events (id, issuer_code, kind, serial, event, occurred_on, reason, was_used,
                          was_spoiled, destruction_id, reissue_id, kid, signed, recorded_at)
SELECT e.id, $1, $2, e.serial, $3, $4, $5, e.was_used, e.was_spoiled, $6, $7, $8, $9, $10
FROM unnest($11::uuid[], $12::text[], $13::boolean[], $14::boolean[])
     AS e (id, serial, was_used, was_spoiled)

-- name: blank_report
-- One row per kind for calendar year $2. A blank leaves the stock once: used by a diploma,
-- or spoiled or destroyed while unused; spoiling a used blank (re-issue) or destroying a
-- spoiled one counts in its column but not again against the stock.
WITH bounds AS (SELECT make_date($2, 1, 1) AS start, make_date($2 + 1, 1, 1) AS stop),
received AS (
    SELECT kind,
           coalesce(sum(last_number - first_number + 1) FILTER (WHERE received_on < start), 0)
               AS before,
           coalesce(sum(last_number - first_number + 1)
                    FILTER (WHERE received_on >= start AND received_on < stop), 0) AS during
    FROM blank_receipts, bounds WHERE issuer_code = $1 GROUP BY kind
),
used AS (
    SELECT u.kind,
           count(*) FILTER (WHERE d.issued_on < start) AS before,
           count(*) FILTER (WHERE d.issued_on >= start AND d.issued_on < stop) AS during
    FROM blank_uses AS u JOIN diplomas AS d ON d.id = u.diploma_id, bounds
    WHERE u.issuer_code = $1 GROUP BY u.kind
),
events AS (
    SELECT kind,
           count(*) FILTER (WHERE event = 'spoiled' AND occurred_on >= start
                            AND occurred_on < stop) AS spoiled,
           count(*) FILTER (WHERE event = 'destroyed' AND occurred_on >= start
                            AND occurred_on < stop) AS destroyed,
           count(*) FILTER (WHERE NOT was_used AND NOT was_spoiled AND occurred_on < start)
               AS gone_before,
           count(*) FILTER (WHERE NOT was_used AND NOT was_spoiled AND occurred_on >= start
                            AND occurred_on < stop) AS gone_during,
           count(*) FILTER (WHERE event = 'spoiled' AND occurred_on < stop)
             - count(*) FILTER (WHERE event = 'destroyed' AND was_spoiled AND occurred_on < stop)
               AS awaiting_destruction
    FROM blank_events, bounds WHERE issuer_code = $1 GROUP BY kind
),
kinds AS (SELECT kind FROM received UNION SELECT kind FROM used UNION SELECT kind FROM events)
SELECT k.kind,
       coalesce(r.before, 0) - coalesce(u.before, 0) - coalesce(e.gone_before, 0)
           AS on_hand_at_start,
       coalesce(r.during, 0) AS received,
       coalesce(u.during, 0) AS used,
       coalesce(e.spoiled, 0) AS spoiled,
       coalesce(e.destroyed, 0) AS destroyed,
       coalesce(r.before, 0) + coalesce(r.during, 0) - coalesce(u.before, 0)
         - coalesce(u.during, 0) - coalesce(e.gone_before, 0) - coalesce(e.gone_during, 0)
           AS on_hand_at_end,
       coalesce(e.awaiting_destruction, 0) AS awaiting_destruction
FROM kinds AS k
LEFT JOIN received AS r USING (kind)
LEFT JOIN used AS u USING (kind)
LEFT JOIN events AS e USING (kind)
ORDER BY k.kind

-- name: issuer_receipts
SELECT id, kind, prefix, digits, first_number, last_number, received_on, reference, recorded_at
FROM blank_receipts WHERE issuer_code = $1 ORDER BY kind, received_on, prefix, first_number

-- name: set_tracks_blanks
UPDATE issuers SET tracks_blanks = $2 WHERE code = $1 RETURNING code
