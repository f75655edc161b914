"""Demo data: a database that looks like the zone's talent-service centre, and a scale generator.

``build_demo`` reproduces the zone's public figures through the ordinary services (so audit and
search text are exactly what a clerk's work would give); ``generate_scale`` adds many generated
talents with bulk inserts for benchmarks. Both are deterministic for a given seed.
"""
