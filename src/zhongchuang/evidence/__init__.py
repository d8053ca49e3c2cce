"""Evidence files: accepted by content (magic bytes), hashed, and served only to those allowed."""
