"""Server-rendered public pages (no aiohttp here: strings in, HTML out)."""
