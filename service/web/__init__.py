"""Server-rendered public pages: Jinja2 templates, their stylesheet and their texts (no aiohttp
here: values in, HTML out)."""
