"""Helpers for testing policies: policy cases written as YAML by policy owners."""
