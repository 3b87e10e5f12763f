from django.urls import path

from . import views

app_name = "casereviews"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("<id:pk>/", views.application_detail, name="application"),
    path("<id:pk>/letter.docx", views.letter_docx, name="letter_docx"),
    path("<id:pk>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("partnerships/<id:pk>/figures/", views.figures, name="figures"),
    path("partnerships/<id:pk>/procedure/", views.procedure, name="procedure"),
]
