"""The pure domain: the regulation's procedure, money, calendar, cards and documents' content.

No files, no clock, no database: `today` is passed in. Imports nothing of kezdocs outside `core`.
"""
