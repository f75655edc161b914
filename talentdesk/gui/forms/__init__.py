"""Python generated from the Designer forms in ui/ by pyside6-uic; do not edit by hand.

Rebuild with ``python -m talentdesk.gui.build_forms``; ``tests/test_forms_current.py`` fails
when a compiled form is out of date.
"""
