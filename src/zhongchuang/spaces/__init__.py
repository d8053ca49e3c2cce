"""A makerspace and its tables (附件1–9 and the Shanghai items), stored 1:1 with the facts format."""
