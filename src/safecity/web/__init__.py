"""The partnership web app (Django): agencies, strategy, reporting cycles, updates, scorecard.

It reads evidence only through the engine's public API (``safecity.engine``); the engine never
imports it.
"""
