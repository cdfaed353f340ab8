"""The long-running side: the watcher, its stability tracker, and the one «after a scan» use case.
"""
