"""Blueprints: jobs, screen (instant check), lists, health, docs."""
