-- A printer's calibration per issuer (docs/printing.md, "Calibrating a printer"): where the
-- issuer's printer puts what it is asked to put, set by a clerk from one test print of the
-- calibration page. A setting, not a record: a newer one replaces it (the staff journal keeps
-- each change, with the old and new values).
CREATE TABLE printer_calibrations (
    issuer_code text PRIMARY KEY REFERENCES issuers (code),
    offset_x_mm numeric(5, 2) NOT NULL CHECK (offset_x_mm BETWEEN -20 AND 20),
    offset_y_mm numeric(5, 2) NOT NULL CHECK (offset_y_mm BETWEEN -20 AND 20),
    scale numeric(5, 4) NOT NULL CHECK (scale BETWEEN 0.95 AND 1.05),
    updated_at timestamptz NOT NULL,
    updated_by uuid REFERENCES accounts (id)
);
