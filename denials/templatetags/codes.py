"""Template helpers that put CARC/RARC codes into words, for any page that shows them."""

from django import template

from ..selectors import code_descriptions

register = template.Library()


@register.simple_tag
def code_text_for(claims):
    """Descriptions of every CARC and RARC on the given (prefetched) claims, in one pair of
    queries: ``{% code_text_for page_obj.object_list as code_text %}``."""
    carcs, rarcs = set(), set()
    for claim in claims:
        carcs.update(a.reason_code for a in claim.adjustments.all())
        rarcs.update(r.code for r in claim.remarks.all())
    carc_text, rarc_text = code_descriptions(carcs=carcs, rarcs=rarcs)
    return {"carc": carc_text, "rarc": rarc_text}


@register.filter
def lookup(mapping, key):
    return mapping.get(key, "") if mapping else ""
