"""Law 25 duties of the centre: the retention schedule and the confidentiality incident register."""
