"""Reading and writing case folders: the root, dropped files, cards, the index, locks, atomic writes.
"""
