from .roles import is_manager


def roles(request) -> dict:
    """``is_manager`` for templates (navigation), from the per-request role cache."""
    return {"is_manager": is_manager(getattr(request, "user", None))}
