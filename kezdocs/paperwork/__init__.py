"""Documents, packages, reports, registries and the summary page, written to disk.
"""
