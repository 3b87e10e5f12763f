"""Paper downloads: the progress-update paper of a cycle and the scorecard workbook."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("cycles/<id:pk>/", views.paper, name="paper"),
    path("cycles/<id:pk>/paper.docx", views.paper_docx, name="paper_docx"),
    path("cycles/<id:pk>/paper.pdf", views.paper_pdf, name="paper_pdf"),
    path("strategies/<id:pk>/scorecard.xlsx", views.scorecard_xlsx, name="scorecard_xlsx"),
]
