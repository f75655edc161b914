"""What the centre owes the people in its records under the PIPL: their own data on request."""
