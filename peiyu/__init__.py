"""Peiyu (培育): the platform a science & technology bureau runs to cultivate technology-based SMEs."""

__version__ = "0.1.0"
