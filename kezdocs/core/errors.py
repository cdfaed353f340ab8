"""The one exception the CLI turns into a clean Russian message (no traceback unless --debug)."""


class KezdocsError(Exception):
    """A user-facing failure: the message is Russian and names the file or case concerned."""
