-- name: printer_calibration
SELECT offset_x_mm, offset_y_mm, scale, updated_at, updated_by
FROM printer_calibrations WHERE issuer_code = $1

-- name: printer_calibration_lock
-- The issuer's current setting, locked until commit: two clerks saving at once queue here,
-- and each journal entry's "before" is what the other left.
SELECT offset_x_mm, offset_y_mm, scale, updated_at FROM printer_calibrations WHERE issuer_code = $1
FOR UPDATE

-- name: save_printer_calibration
INSERT INTO printer_calibrations (issuer_code, offset_x_mm, offset_y_mm, scale, updated_at, updated_by)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (issuer_code) DO UPDATE
SET offset_x_mm = EXCLUDED.offset_x_mm, offset_y_mm = EXCLUDED.offset_y_mm,
    scale = EXCLUDED.scale, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by

-- name: issuer_names
SELECT code, name FROM issuers WHERE code = ANY($1::text[])

-- name: digital_diploma_save
-- The first document of a version stays (a job run again after a crash skips it).
INSERT INTO digital_diplomas (diploma_id, version, pdf, sha256, level, job_id)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (diploma_id, version) DO NOTHING

-- name: digital_diploma_versions
SELECT diploma_id, version FROM digital_diplomas WHERE diploma_id = ANY($1::uuid[])

-- name: digital_diploma_latest
SELECT version, pdf, level, made_at FROM digital_diplomas
WHERE diploma_id = $1 ORDER BY version DESC LIMIT 1
