"""Talent housing: the pool of units, the allocation rules, rounds, offers and appeals."""
