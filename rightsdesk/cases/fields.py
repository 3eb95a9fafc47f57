"""What statistics can be counted by (pure Python: the command line reads it before Django starts)."""

FIELDS = ("year", "month", "province", "charge", "gender", "ethnicity", "act", "public",
          "officially_announced", "reported_by", "status", "juvenile")
MULTI = {"charge", "reported_by"}  # a record may count under several keys
