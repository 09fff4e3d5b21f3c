-- The auditors' views: the register of an issuer page by page, its anomalies, and the log's
-- events of an issuer and those under it.

-- name: audit_register
-- One page of an issuer's register (sổ gốc) in register order, with each entry's lifecycle
-- inline; keyset-paginated on (kind, year, number) by the register-number index. $8, when
-- given, keeps one decision's entries only.
SELECT d.id, d.kind, d.register_year, d.register_seq, d.register_number, d.serial,
       d.holder_name, d.date_of_birth, d.place_of_birth, d.gender, d.ethnicity,
       d.nationality, d.student_id, d.major, d.classification, d.mode_of_study,
       d.graduation_year, d.issued_on, d.signer_name, d.signer_title, d.signer_on_behalf_of,
       d.issued_at, g.number AS decision_number, g.decided_on AS decision_date, g.late,
       (SELECT jsonb_build_object('decision_number', r.decision_number,
                                  'decided_on', r.decided_on, 'authority', r.authority,
                                  'ground', r.ground, 'reason', r.reason)
        FROM revocations AS r WHERE r.diploma_id = d.id) AS revocation,
       (SELECT jsonb_agg(jsonb_build_object('version', c.version,
                                            'decision_number', c.decision_number,
                                            'decided_on', c.decided_on, 'ground', c.ground,
                                            'changes', c.changes) ORDER BY c.version)
        FROM corrections AS c WHERE c.diploma_id = d.id) AS corrections,
       (SELECT jsonb_agg(jsonb_build_object('number', k.number, 'copies', k.copies,
                                            'relation', k.relation, 'issued_on', k.issued_on)
                         ORDER BY k.year, k.seq)
        FROM certified_copies AS k WHERE k.diploma_id = d.id) AS copies,
       (SELECT jsonb_build_object('recipient_name', h.recipient_name, 'relation', h.relation,
                                  'authorisation', h.authorisation,
                                  'handed_over_on', h.handed_over_on,
                                  'handed_over_by', h.handed_over_by, 'note', h.note)
        FROM handovers AS h WHERE h.diploma_id = d.id) AS handover,
       (SELECT n.serial FROM reissues AS x JOIN diplomas AS n ON n.id = x.new_diploma_id
        WHERE x.old_diploma_id = d.id) AS replaced_by,
       (SELECT o.serial FROM reissues AS x JOIN diplomas AS o ON o.id = x.old_diploma_id
        WHERE x.new_diploma_id = d.id) AS replaces
FROM diplomas AS d JOIN graduation_decisions AS g ON g.id = d.decision_id
WHERE d.issuer_code = $1
  AND ($2::text IS NULL OR d.kind = $2)
  AND ($3::integer IS NULL OR d.register_year = $3)
  AND (d.kind, d.register_year, d.register_seq) > ($4::text, $5::integer, $6::integer)
  AND ($8::uuid IS NULL OR d.decision_id = $8)
ORDER BY d.kind, d.register_year, d.register_seq
LIMIT $7

-- name: audit_subtree
-- The issuer $1 and every issuer under it.
WITH RECURSIVE subtree (code, depth) AS (
    SELECT code, 0 FROM issuers WHERE code = $1
    UNION ALL
    SELECT i.code, s.depth + 1 FROM issuers AS i JOIN subtree AS s ON i.parent_code = s.code
    WHERE s.depth < 32
)
SELECT code FROM subtree

-- name: audit_register_gaps
-- Register numbers missing below the highest number given (or the counter, which also
-- counts numbers whose rows were deleted behind the database's back).
WITH groups AS (
    SELECT d.issuer_code, d.kind, d.register_year, count(*) AS entries,
           greatest(max(d.register_seq), max(c.last_seq)) AS highest
    FROM diplomas AS d
    LEFT JOIN register_counters AS c
           ON c.issuer_code = d.issuer_code AND c.kind = d.kind AND c.year = d.register_year
    WHERE d.issuer_code = ANY ($1::text[])
    GROUP BY d.issuer_code, d.kind, d.register_year
)
SELECT g.issuer_code, g.kind, g.register_year, g.highest - g.entries AS missing,
       (SELECT array_agg(n ORDER BY n) FROM (
            SELECT n FROM generate_series(1, g.highest) AS n
            EXCEPT SELECT register_seq FROM diplomas
            WHERE issuer_code = g.issuer_code AND kind = g.kind AND register_year = g.register_year
            ORDER BY 1 LIMIT 20) AS m) AS first_missing
FROM groups AS g WHERE g.highest > g.entries
ORDER BY 1, 2, 3

-- name: audit_blanks_unaccounted
-- For issuers that track blanks: diplomas printed on no received blank, and blanks spoiled
-- before $2 (domain/anomalies.py: so many days ago) and still not destroyed.
SELECT i.code AS issuer_code,
       (SELECT count(*) FROM diplomas AS d
        WHERE d.issuer_code = i.code
          AND NOT EXISTS (SELECT 1 FROM blank_uses AS u WHERE u.diploma_id = d.id))
           AS diplomas_without_blank,
       (SELECT count(*) FROM blank_events AS s
        WHERE s.issuer_code = i.code AND s.event = 'spoiled' AND s.occurred_on < $2::date
          AND NOT EXISTS (SELECT 1 FROM blank_events AS x
                          WHERE x.issuer_code = s.issuer_code AND x.kind = s.kind
                            AND x.serial = s.serial AND x.event = 'destroyed'))
           AS spoiled_not_destroyed
FROM issuers AS i WHERE i.code = ANY ($1::text[]) AND i.tracks_blanks
ORDER BY 1

-- name: audit_late_decisions
SELECT issuer_code, id, number, decided_on, kind, deadline, created_at,
       -- The sum of its parts (0014_decision_parts).
       (SELECT sum(p.graduate_count)::int FROM decision_parts AS p
        WHERE p.decision_id = graduation_decisions.id) AS graduate_count
FROM graduation_decisions WHERE issuer_code = ANY ($1::text[]) AND late
ORDER BY decided_on, number
LIMIT 500

-- name: audit_rates
-- Per issuer with diplomas: diplomas, corrected and revoked diplomas; and the same summed
-- over its peers (the other issuers under the same parent).
WITH per AS (
    SELECT i.code, i.parent_code,
           (SELECT count(*) FROM diplomas WHERE issuer_code = i.code) AS diplomas,
           (SELECT count(DISTINCT diploma_id) FROM corrections WHERE issuer_code = i.code)
               AS corrected,
           (SELECT count(*) FROM revocations WHERE issuer_code = i.code) AS revoked
    FROM issuers AS i
)
SELECT p.code, p.diplomas, p.corrected, p.revoked,
       coalesce(sum(q.diplomas), 0)::bigint AS peer_diplomas,
       coalesce(sum(q.corrected), 0)::bigint AS peer_corrected,
       coalesce(sum(q.revoked), 0)::bigint AS peer_revoked
FROM per AS p
LEFT JOIN per AS q ON q.parent_code IS NOT DISTINCT FROM p.parent_code AND q.code <> p.code
WHERE p.code = ANY ($1::text[]) AND p.diplomas > 0
GROUP BY p.code, p.diplomas, p.corrected, p.revoked
ORDER BY 1

-- name: audit_bad_key_signatures
-- Diplomas signed by a key at a time it was not valid: before its start, after it was
-- retired, or once it was compromised.
SELECT d.issuer_code, d.id, d.serial, d.issued_at, encode(k.kid, 'hex') AS kid,
       CASE WHEN k.compromised_since IS NOT NULL AND d.issued_at >= k.compromised_since
            THEN 'compromised' ELSE 'retired' END AS problem
FROM diplomas AS d JOIN issuer_keys AS k ON k.kid = d.kid
WHERE d.issuer_code = ANY ($1::text[])
  AND ((k.compromised_since IS NOT NULL AND d.issued_at >= k.compromised_since)
       OR d.issued_at < k.not_before OR (k.not_after IS NOT NULL AND d.issued_at > k.not_after))
ORDER BY d.issued_at
LIMIT 500

-- name: audit_events
-- The log's leaves of issuers $1 after index $2, for other systems to follow.
SELECT idx, event_type, issuer_code, diploma_id, record_hash, event_time
FROM log_leaves WHERE idx > $2 AND issuer_code = ANY ($1::text[])
ORDER BY idx LIMIT $3

-- name: audit_same_person_other_issuer
-- Pairs of diplomas of one kind held by one person (the same date of birth, folded name and
-- folded place of birth, as 0011's fold_vi folds them) from two different issuers of $1,
-- neither revoked; `b` is the later registered (ids are UUIDv7, in registration order); at
-- most $2. One pass over diplomas_person_across_issuers (0021) in its order, index-only, that
-- folds nothing: each diploma's person is a window over it, kept when the person's diplomas
-- come from more than one issuer. Only the pairs listed are then read, by id.
WITH flagged AS (
    SELECT id, issuer_code, kind, date_of_birth, name, place
    FROM (
        SELECT id, issuer_code, kind, date_of_birth, fold_vi(holder_name) AS name,
               fold_vi(coalesce(place_of_birth, '')) AS place,
               min(issuer_code) OVER person AS lowest, max(issuer_code) OVER person AS highest
        FROM diplomas
        WHERE issuer_code = ANY ($1::text[])
        WINDOW person AS (PARTITION BY kind, date_of_birth, fold_vi(holder_name),
                                       fold_vi(coalesce(place_of_birth, '')))
    ) AS d
    WHERE lowest <> highest
      AND NOT EXISTS (SELECT 1 FROM revocations AS r WHERE r.diploma_id = d.id)
),
pairs AS (
    SELECT b.id, a.id AS other_id
    FROM flagged AS a
    JOIN flagged AS b
      ON b.kind = a.kind AND b.date_of_birth = a.date_of_birth AND b.name = a.name
     AND b.place = a.place AND b.issuer_code <> a.issuer_code AND b.id > a.id
    ORDER BY b.id, a.id
    LIMIT $2
)
SELECT b.kind, b.date_of_birth, b.holder_name, b.place_of_birth,
       b.issuer_code, b.id, b.serial, b.issued_at,
       a.issuer_code AS other_issuer_code, a.id AS other_id, a.serial AS other_serial,
       a.holder_name AS other_holder_name, a.issued_at AS other_issued_at
FROM pairs AS p
JOIN diplomas AS b ON b.id = p.id
JOIN diplomas AS a ON a.id = p.other_id
ORDER BY b.id, a.id

-- name: audit_unusual_hours
-- The registrations (a decision's parts: the decision with its first list, then each further
-- list) of issuers $1 made in Vietnam time at or after $2 or before $3 (the night), on ISO
-- day of the week $4 (Sunday), or on one of the days $5 (the public holidays).
SELECT g.issuer_code, g.id, g.number, g.decided_on, p.part, p.created_at, p.graduate_count,
       (p.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS local_day
FROM decision_parts AS p JOIN graduation_decisions AS g ON g.id = p.decision_id
WHERE g.issuer_code = ANY ($1::text[])
  AND ((p.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::time >= $2::time
       OR (p.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::time < $3::time
       OR extract(isodow FROM p.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh') = $4
       OR (p.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = ANY ($5::date[]))
ORDER BY p.created_at, g.id, p.part
LIMIT 500

-- name: audit_unusual_bulk
-- Per issuer of $1 and day (Vietnam time), the diplomas registered (the parts' graduates),
-- for days of at least $2, against the median of the issuer's days with any registration in
-- the $4 days before; kept when more than $3 times that median. A day with no day before it
-- to compare has no median and is not kept. With the decisions registered that day.
WITH daily AS (
    SELECT g.issuer_code, (p.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day,
           sum(p.graduate_count)::int AS diplomas,
           array_agg(DISTINCT p.decision_id) AS decisions
    FROM decision_parts AS p JOIN graduation_decisions AS g ON g.id = p.decision_id
    WHERE g.issuer_code = ANY ($1::text[])
    GROUP BY 1, 2
),
usual AS (
    SELECT d.issuer_code, d.day, d.diplomas, d.decisions,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY e.diplomas) AS median,
           count(*)::int AS days
    FROM daily AS d
    JOIN daily AS e ON e.issuer_code = d.issuer_code AND e.day < d.day AND e.day >= d.day - $4::int
    WHERE d.diplomas >= $2
    GROUP BY d.issuer_code, d.day, d.diplomas, d.decisions
)
SELECT u.issuer_code, u.day, u.diplomas, u.median, u.days,
       (SELECT array_agg(g.id ORDER BY g.created_at, g.id) FROM graduation_decisions AS g
        WHERE g.id = ANY (u.decisions)) AS decision_ids,
       (SELECT array_agg(g.number ORDER BY g.created_at, g.id) FROM graduation_decisions AS g
        WHERE g.id = ANY (u.decisions)) AS decision_numbers
FROM usual AS u
WHERE u.diplomas > $3 * u.median
ORDER BY u.day, u.issuer_code
LIMIT 500
