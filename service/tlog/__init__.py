"""The issuance log: sequencing register events into an RFC 6962 Merkle tree, signed
checkpoints, proofs, and the audit that recomputes it all from the database."""
