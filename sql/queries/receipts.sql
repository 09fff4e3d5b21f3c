-- Verification receipts (docs/verification.md, "Biên nhận kiểm tra"); append-only.

-- name: add_receipt
-- No row back when the code is taken already (60 random bits: the caller draws another).
INSERT INTO verification_receipts
    (code, created_at, valid_until, qr_text, diploma_id, verdict, result)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (code) DO NOTHING
RETURNING code

-- name: get_receipt
SELECT code, created_at, valid_until, qr_text, diploma_id, verdict, result
FROM verification_receipts WHERE code = $1
