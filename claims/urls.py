from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.SubmittedClaimListView.as_view(), name="submitted_claim_list"),
    path("upload/", views.FeedUploadView.as_view(), name="feed_upload"),
    path("<int:pk>/", views.SubmittedClaimDetailView.as_view(), name="submitted_claim_detail"),
    path("payer-aliases/", views.PayerAliasListView.as_view(), name="payer_alias_list"),
    path("payer-aliases/new/", views.PayerAliasEditView.as_view(), name="payer_alias_create"),
    path("payer-aliases/<int:pk>/", views.PayerAliasEditView.as_view(), name="payer_alias_edit"),
]
