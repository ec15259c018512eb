class RecordError(ValueError):
    """A record that cannot be imported; the message says why, in Korean."""
