"""Appeal pages. Letter templates (managers): ``templates``; an appeal's letter and
packet downloads: ``letters``."""
