"""The glue between the database and ``exercises``: plain functions over a SQLAlchemy Session,
no Flask request objects, so that routes, the JSON API and the CLI share them."""
