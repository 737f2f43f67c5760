"""The accompaniment calendar's behaviour: who takes part, planning rules, invitations, calendars."""
