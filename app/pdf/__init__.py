"""PDF report renderers: plain data in (app/pdf/data.py), bytes out.

Nothing here reads the database or the request: app/reports.py gathers the data.
"""
