"""The audit trail as people read it: each entry a sentence with a link to what it changed."""
