"""Transparency: works-council dashboards, the employee's own overview, access requests,
the annual logging report, and retention."""
