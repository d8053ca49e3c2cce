"""Who changed what, when: one append-only log of data changes and application events."""
