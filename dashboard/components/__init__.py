"""Layout pieces only (no SQL, no callbacks)."""
