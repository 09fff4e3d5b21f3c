"""Reading what clerks upload: graduate lists as JSON, CSV or XLSX."""
