"""The rules of the register. Modules here import neither aiohttp nor asyncpg."""
