"""Fast positional constructors for frozen slots dataclasses.

A frozen dataclass's ``__init__`` stores every field through ``object.__setattr__``, which
costs about a quarter of a microsecond per field; the readers build hundreds of thousands of
such objects. ``positional(cls)`` returns ``build(f1, f2, ...)`` taking every field in
declaration order (no defaults, no ``__post_init__``) and returning a real ``cls`` instance:
the fields are stored on an unfrozen class with the very same slots, whose ``__class__`` is
then switched to ``cls`` (CPython allows that between classes with identical slot layouts).
Where the switch is not allowed, ``build`` falls back to calling ``cls`` positionally.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass


def positional(cls):
    """``build(*field_values)`` for the frozen slots dataclass ``cls`` (see the module doc)."""
    if not is_dataclass(cls) or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a slots dataclass")
    names = tuple(f.name for f in fields(cls))
    if tuple(cls.__slots__) != names or cls.__dict__.get("__post_init__"):
        return cls
    twin = type(f"_{cls.__name__}Builder", (), {"__slots__": names})
    probe = object.__new__(twin)
    try:
        probe.__class__ = cls
    except TypeError:  # another interpreter, or a layout CPython will not switch
        return cls
    args = ", ".join(names)
    body = "".join(f"    o.{name} = {name}\n" for name in names)
    source = f"def build({args}):\n    o = new(twin)\n{body}    o.__class__ = cls\n    return o\n"
    namespace = {"new": object.__new__, "twin": twin, "cls": cls}
    exec(source, namespace)  # noqa: S102 - the source is made only of field names
    build = namespace["build"]
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    build.__doc__ = f"A {cls.__name__} from all its fields, in declaration order."
    return build
