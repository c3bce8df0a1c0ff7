"""The regional matchpunt's matching: which candidate fits which dwelling, and why not."""
