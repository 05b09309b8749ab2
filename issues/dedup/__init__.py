"""Deduplicating issue creation: match a proposed issue against open ones, or create it."""
