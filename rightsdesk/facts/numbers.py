"""How the facts desk writes a number for people (the lint's messages, the admin, entity pages)."""


def format_number(value) -> str:
    """30000 -> '30,000', 2.5 -> '2.5' (floats and Decimals alike); None -> '?'."""
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
