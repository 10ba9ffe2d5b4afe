"""Appeal pages: the list, starting one and its page with actions (``appeals``)."""
