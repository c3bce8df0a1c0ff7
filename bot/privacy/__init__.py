"""Privacy: the personal-data guard, export and erasure of a candidate, retention."""
