"""The HTTP edge: thin handlers that parse, call the use cases and serialize."""
