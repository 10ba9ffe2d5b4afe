from rest_framework import serializers

from ..models import Denial


class DenialSerializer(serializers.ModelSerializer):
    payer = serializers.CharField(source="payer.name")
    patient_control_number = serializers.CharField(source="claim.patient_control_number")
    procedure_code = serializers.CharField(
        source="service_line.procedure_code", default=None, allow_null=True
    )

    class Meta:
        model = Denial
        fields = [
            "id",
            "remittance",
            "era",
            "claim",
            "service_line",
            "payer",
            "level",
            "patient_control_number",
            "procedure_code",
            "group_code",
            "reason_code",
            "adjustment_codes",
            "remark_codes",
            "category",
            "severity",
            "appealable",
            "unprocessable",
            "next_action",
            "rule",
            "denied_amount",
            "charge_amount",
            "paid_amount",
            "service_date",
            "received_date",
            "created_at",
        ]
