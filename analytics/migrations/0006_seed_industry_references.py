"""The published references the dashboards start with; managers edit them afterwards."""

from decimal import Decimal

from django.db import migrations

HFMA = "https://www.hfma.org/"
KODIAK = (
    "Kodiak Solutions revenue-cycle benchmark, 2,100+ hospitals (reported by HFMA, 2025)",
    "https://www.hfma.org/?p=99103",
)
REFERENCES = [
    ("initial_denial_rate", "National average, 2024", "0.118", None, "rate", "average",
     *KODIAK, 2024),
    ("initial_denial_rate", "Usual target", "0.05", None, "rate", "target_below",
     "Common revenue-cycle target (HFMA Claim Integrity Task Force context); set your own",
     HFMA, 2024),
    ("denial_rate", "National average, 2024", "0.118", None, "rate", "average", *KODIAK, 2024),
    ("clean_claim_rate", "Usual target", "0.95", None, "rate", "target_at_least",
     "Common industry target for HFMA MAP Key clean claim rate", HFMA, 2024),
    ("overturn_rate", "Denials recoverable on appeal", "0.54", "0.63", "rate", "range",
     "Change Healthcare Healthy Hospital Revenue Cycle Index (63 % recoverable) and later "
     "industry surveys (54 %)",
     "https://www.managedcaremag.com/news/report-claims-appeals-cost-providers-86-billion-annually",
     2017),
    ("days_in_ar", "Hospitals, average", "57", None, "days", "average",
     "Optum Almanac of Hospital Financial & Operating Indicators (median of Medicare cost "
     "reports); net days, not gross insurance days as measured here",
     "https://aharesourcecenter.wordpress.com/2015/12/09/benchmarks-five-year-trends-for-days-in-patient-accounts-receivable-data-for-u-s-hospitals/",
     2014),
    ("days_in_ar", "Best tenth of hospitals", "44", None, "days", "top_decile",
     "Industry benchmark for top-decile performers; confirm against your own survey", "",
     None),
]


def seed(apps, schema_editor):
    IndustryReference = apps.get_model("analytics", "IndustryReference")
    for metric, label, value, high, unit, comparison, source, url, year in REFERENCES:
        IndustryReference.objects.get_or_create(
            metric=metric,
            label=label,
            defaults={
                "value": Decimal(value),
                "value_high": Decimal(high) if high else None,
                "unit": unit,
                "comparison": comparison,
                "source": source,
                "url": url,
                "year": year,
            },
        )


def unseed(apps, schema_editor):
    IndustryReference = apps.get_model("analytics", "IndustryReference")
    for metric, label, *_ in REFERENCES:
        IndustryReference.objects.filter(metric=metric, label=label).delete()


class Migration(migrations.Migration):
    dependencies = [("analytics", "0005_industry_references")]

    operations = [migrations.RunPython(seed, unseed)]
