"""What the templates show, computed in Python: labels, badges, stuck detection, dates, CSV."""
