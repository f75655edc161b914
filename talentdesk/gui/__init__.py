"""The Qt desktop front end: the only package that imports PySide6.

It calls the feature services and never writes SQL itself; ``app.run_gui`` is its entry point.
"""
