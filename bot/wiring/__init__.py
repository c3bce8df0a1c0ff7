"""The composition root: the PTB Application and its persistence (PTB)."""
