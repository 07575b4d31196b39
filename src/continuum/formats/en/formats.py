"""Dates and times as Continuum shows them in English (British order: 7 Dec 2026)."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
# A meeting's day and time: "Mon 7 Dec 2026, 09:30".
SHORT_DATETIME_FORMAT = "D j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
# Weeks start on Monday, as in British English and in every other language of Continuum (calendars).
FIRST_DAY_OF_WEEK = 1
