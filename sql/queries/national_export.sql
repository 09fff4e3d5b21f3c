-- The national diploma database export (docs/national-export.md): the log's leaves in order,
-- each with the register rows it was made of.

-- name: national_export_log_size
-- The size of the latest signed checkpoint: the leaves the export may read (the sequencer
-- writes leaves and their checkpoint in one transaction, so they are the same).
SELECT coalesce(max(size), 0) FROM log_checkpoints

-- name: national_export_leaves
-- The leaves from index $1 up to (not including) $2 whose event is one of $3, of the issuers
-- $4 (NULL: every issuer), in log order, at most $5; each with its diploma's entry, decision
-- and issuer, and the event's own row, found by the leaf's record hash (a diploma has many
-- corrections and copies). Signatures, salts and identity documents' numbers are left out.
-- A row the leaf was made of and that is gone (or changed) reads as NULL.
SELECT l.idx, l.event_type, l.issuer_code, l.leaf_hash, l.event_time,
       to_jsonb(d) - 'signed' - 'salt' AS diploma,
       to_jsonb(g) AS decision,
       to_jsonb(i) AS issuer,
       e.event
FROM log_leaves AS l
LEFT JOIN diplomas AS d
    ON d.id = l.diploma_id AND (l.event_type <> 'issue' OR sha256(d.signed) = l.record_hash)
LEFT JOIN graduation_decisions AS g ON g.id = d.decision_id
LEFT JOIN issuers AS i ON i.code = d.issuer_code
LEFT JOIN LATERAL (
    SELECT to_jsonb(c) - 'signed' - 'record_signed' AS event
    FROM corrections AS c
    WHERE l.event_type = 'correction' AND c.diploma_id = l.diploma_id
      AND sha256(c.signed) = l.record_hash
    UNION ALL
    SELECT to_jsonb(r) - 'signed' || jsonb_build_object(
               'new_serial', n.serial,
               'new_register_number', n.register_number,
               'new_issued_on', n.issued_on)
    FROM reissues AS r JOIN diplomas AS n ON n.id = r.new_diploma_id
    WHERE l.event_type = 'reissue' AND r.old_diploma_id = l.diploma_id
      AND sha256(r.signed) = l.record_hash
    UNION ALL
    SELECT to_jsonb(v) - 'signed'
    FROM revocations AS v
    WHERE l.event_type = 'revocation' AND v.diploma_id = l.diploma_id
      AND sha256(v.signed) = l.record_hash
    UNION ALL
    SELECT to_jsonb(p) - 'signed' - 'id_document_number'
    FROM certified_copies AS p
    WHERE l.event_type = 'copy' AND p.diploma_id = l.diploma_id
      AND sha256(p.signed) = l.record_hash
    UNION ALL
    SELECT to_jsonb(h) - 'signed' - 'id_document_number'
    FROM handovers AS h
    WHERE l.event_type = 'handover' AND h.diploma_id = l.diploma_id
      AND sha256(h.signed) = l.record_hash
) AS e ON true
WHERE l.idx >= $1 AND l.idx < $2
  AND l.event_type = ANY ($3::text[])
  AND ($4::text[] IS NULL OR l.issuer_code = ANY ($4::text[]))
ORDER BY l.idx
LIMIT $5
