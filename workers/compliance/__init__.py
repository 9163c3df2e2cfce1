"""The compliance record (issue 11): hits, analysts' decisions, suppression of cleared
pairs and the tamper-evident audit trail, in a relational database (SQLAlchemy 2 +
Alembic; SQLite by default, PostgreSQL in production).

Both screening paths call in here: the batch workers (`batch.record_chunk`) and the API's
instant check (`store.record_screenings`); the API's routes read and decide through
`store` and `audit`. Everything takes a `db.Database` explicitly.
"""
