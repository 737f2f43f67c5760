"""Views of the deployment plans (plans.py), the overview (overview.py) and the tracking table (tracking.py)."""
