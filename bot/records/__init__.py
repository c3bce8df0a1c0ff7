"""Candidates and dwellings: registration, lifecycles, what each role sees, exports."""
