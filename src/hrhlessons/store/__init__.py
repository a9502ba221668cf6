"""The registry database: tables, migrations, import and search.

SQLite by default, PostgreSQL by URL.
"""
