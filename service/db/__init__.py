"""Storage: connection pools, the named queries of sql/queries/, migrations."""
