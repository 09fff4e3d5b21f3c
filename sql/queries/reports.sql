-- The yearly report (báo cáo năm, docs/audit.md): the figures of every issuer of a subtree
-- for calendar year $2, each query for the whole subtree at once. Which date puts an event
-- in a year is said in service/domain/yearly_reports.py.

-- name: report_issuers
-- The issuer $1 and every issuer under it, with its parent.
WITH RECURSIVE subtree (code, depth) AS (
    SELECT code, 0 FROM issuers WHERE code = $1
    UNION ALL
    SELECT i.code, s.depth + 1 FROM issuers AS i JOIN subtree AS s ON i.parent_code = s.code
    WHERE s.depth < 32
)
SELECT i.code, i.name, i.parent_code, i.tracks_blanks
FROM subtree AS s JOIN issuers AS i USING (code)
ORDER BY s.depth, i.code

-- name: report_issued
-- Diplomas entered in the register in the year (its register year), by issuer and kind.
SELECT issuer_code, kind, count(*)::int AS diplomas
FROM diplomas
WHERE issuer_code = ANY ($1::text[]) AND register_year = $2
GROUP BY issuer_code, kind

-- name: report_activity
-- Per issuer: corrections and revocations decided in the year, re-issues entered in its
-- register, the copy register's entries and copies, and the decisions (or further lists of
-- one) registered between $3 and $4 (the year in Vietnam time), how many of them late
-- (Art. 17) and the diplomas those late ones entered.
SELECT i.code AS issuer_code,
       (SELECT count(*) FROM corrections AS c
        WHERE c.issuer_code = i.code
          AND c.decided_on >= make_date($2, 1, 1)
          AND c.decided_on < make_date($2 + 1, 1, 1))::int
           AS corrections,
       (SELECT count(*) FROM reissues AS r JOIN diplomas AS d ON d.id = r.new_diploma_id
        WHERE r.issuer_code = i.code AND d.register_year = $2)::int AS reissues,
       (SELECT count(*) FROM revocations AS r
        WHERE r.issuer_code = i.code
          AND r.decided_on >= make_date($2, 1, 1)
          AND r.decided_on < make_date($2 + 1, 1, 1))::int
           AS revocations,
       (SELECT count(*) FROM certified_copies AS c
        WHERE c.issuer_code = i.code AND c.year = $2)::int AS copy_requests,
       (SELECT coalesce(sum(c.copies), 0) FROM certified_copies AS c
        WHERE c.issuer_code = i.code AND c.year = $2)::int AS copies,
       (SELECT count(*)
        FROM decision_parts AS p JOIN graduation_decisions AS g ON g.id = p.decision_id
        WHERE g.issuer_code = i.code AND p.created_at >= $3 AND p.created_at < $4)::int
           AS registrations,
       (SELECT count(*)
        FROM decision_parts AS p JOIN graduation_decisions AS g ON g.id = p.decision_id
        WHERE g.issuer_code = i.code AND p.late
          AND p.created_at >= $3 AND p.created_at < $4)::int AS late_registrations,
       (SELECT coalesce(sum(p.graduate_count), 0)
        FROM decision_parts AS p JOIN graduation_decisions AS g ON g.id = p.decision_id
        WHERE g.issuer_code = i.code AND p.late
          AND p.created_at >= $3 AND p.created_at < $4)::int AS late_diplomas
FROM issuers AS i
WHERE i.code = ANY ($1::text[])

-- name: report_blanks
-- The blank report (blanks.sql: blank_report) of every issuer $1 at once, by issuer and
-- kind, by the same rules: a blank leaves the stock once, used by a diploma or spoiled or
-- destroyed while unused.
WITH bounds AS (SELECT make_date($2, 1, 1) AS start, make_date($2 + 1, 1, 1) AS stop),
received AS (
    SELECT issuer_code, kind,
           coalesce(sum(last_number - first_number + 1) FILTER (WHERE received_on < start), 0)
               AS before,
           coalesce(sum(last_number - first_number + 1)
                    FILTER (WHERE received_on >= start AND received_on < stop), 0) AS during
    FROM blank_receipts, bounds WHERE issuer_code = ANY ($1::text[]) GROUP BY issuer_code, kind
),
used AS (
    SELECT u.issuer_code, u.kind,
           count(*) FILTER (WHERE d.issued_on < start) AS before,
           count(*) FILTER (WHERE d.issued_on >= start AND d.issued_on < stop) AS during
    FROM blank_uses AS u JOIN diplomas AS d ON d.id = u.diploma_id, bounds
    WHERE u.issuer_code = ANY ($1::text[]) GROUP BY u.issuer_code, u.kind
),
events AS (
    SELECT issuer_code, kind,
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
    FROM blank_events, bounds WHERE issuer_code = ANY ($1::text[]) GROUP BY issuer_code, kind
),
kinds AS (
    SELECT issuer_code, kind FROM received
    UNION SELECT issuer_code, kind FROM used
    UNION SELECT issuer_code, kind FROM events
)
SELECT k.issuer_code, k.kind,
       (coalesce(r.before, 0) - coalesce(u.before, 0) - coalesce(e.gone_before, 0))::int
           AS on_hand_at_start,
       coalesce(r.during, 0)::int AS received,
       coalesce(u.during, 0)::int AS used,
       coalesce(e.spoiled, 0)::int AS spoiled,
       coalesce(e.destroyed, 0)::int AS destroyed,
       (coalesce(r.before, 0) + coalesce(r.during, 0) - coalesce(u.before, 0)
         - coalesce(u.during, 0) - coalesce(e.gone_before, 0) - coalesce(e.gone_during, 0))::int
           AS on_hand_at_end,
       coalesce(e.awaiting_destruction, 0)::int AS awaiting_destruction
FROM kinds AS k
LEFT JOIN received AS r USING (issuer_code, kind)
LEFT JOIN used AS u USING (issuer_code, kind)
LEFT JOIN events AS e USING (issuer_code, kind)
ORDER BY k.issuer_code, k.kind
