-- The staff's second-factor (TOTP) secrets sealed at rest (service/sealing.py,
-- docs/accounts.md "The second factor"): AES-256-GCM under a key derived from
-- personal-id.key, bound to the account's id, so that a dump or a backup alone holds none of
-- them. A sealed secret is `sealed1:` and 91 base64url characters. Secrets enrolled before
-- stay readable in the clear until `vanbang serve` first starts with the key, which seals
-- them (service/usecases/second_factor_secrets.py); enrolment seals every new one.

ALTER TABLE accounts DROP CONSTRAINT accounts_totp_secret_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_totp_secret_check
    CHECK (totp_secret ~ '^[A-Z2-7]{32}$' OR totp_secret ~ '^sealed1:[A-Za-z0-9_-]{91}$');
