"""Definitions of every named fact, by topic. Importing this package registers them all."""

from zhongchuang.engine.named import common, incubation, operations, shanghai, sites  # noqa: F401
