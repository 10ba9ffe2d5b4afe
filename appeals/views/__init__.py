"""Appeal pages: the list, starting one and its page with actions (``appeals``); letter
templates (managers, ``templates``); an appeal's letter and packet downloads
(``letters``)."""
