"""Views of prevention and advice: thin — capability, selector, form, service, render.

Split by subject: sessions (requests, records, evaluations, the team chief's record),
advice, after-discussions and lessons, the dilemma library, presenters and trends, and the
coordinator's worklist.
"""
