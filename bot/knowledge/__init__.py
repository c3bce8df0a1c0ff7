"""The knowledge base: loading and checking it, regions, search, unanswered questions."""
