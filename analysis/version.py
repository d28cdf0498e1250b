"""The analysis engine's version, stored with every analysis run so runs can be compared and reproduced."""

ANALYSIS_VERSION = "2.3.0"
