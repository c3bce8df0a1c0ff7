"""Registration forms as data: fields, parsing, the candidate and dwelling forms."""
