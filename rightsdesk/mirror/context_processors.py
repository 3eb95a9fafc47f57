def baking(request):
    """`baking` is true while `rightsdesk bake` renders a page (see bake.py)."""
    return {"baking": bool(request.META.get("rightsdesk.bake"))}
