"""What data users take away: the CSV and JSON downloads, the data package and the Atom feeds."""
