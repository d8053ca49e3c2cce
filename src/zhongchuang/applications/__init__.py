"""Certification rounds opened by a bureau, and operators' applications with frozen, versioned snapshots."""
