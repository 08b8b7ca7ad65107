"""The audit trail: records in words, the PDF, integrity checks and seals."""
