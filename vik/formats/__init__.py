"""Date formats per language on top of Django's (``FORMAT_MODULE_PATH``).

Tables show dates short: "19 okt 2026" in Dutch, "19 Oct 2026" in English. Django's ``M``
would write "Okt" in Dutch, where month names are lower case; ``b`` would write "oct" in
English. So the short formats differ per language, and templates use ``SHORT_DATE_FORMAT``
and ``SHORT_DATETIME_FORMAT`` instead of a fixed pattern.
"""
