"""The talent fair: an encrypted database prepared at the centre for a laptop with no network,
worked offline, and merged back from a signed bundle of what changed (see docs/fairs.md)."""
