"""Paper views (progress-update paper, scorecard export). Access goes through the strategy app's
helpers in ``safecity.web.strategy.access``."""
