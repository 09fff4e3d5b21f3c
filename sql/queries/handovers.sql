-- Handovers (bàn giao, Circular 21 Art. 13): who received a diploma and when.

-- name: insert_handover
-- Returns no row when the diploma was already handed over.
INSERT INTO handovers (id, diploma_id, issuer_code, recipient_name, relation, id_document_type,
                       id_document_number, authorisation, handed_over_on, handed_over_by, note,
                       kid, signed, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
ON CONFLICT (diploma_id) DO NOTHING
RETURNING id

-- name: diploma_handover
-- The diploma's handover, if any; never the identity document's number.
SELECT id, recipient_name, relation, id_document_type, authorisation, handed_over_on,
       handed_over_by, note, recorded_at
FROM handovers WHERE diploma_id = $1
