"""Talents: the people the centre serves, their documents and records."""
