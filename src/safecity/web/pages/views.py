"""Public pages: open to anyone, signed in or not."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def home(request):
    return render(request, "pages/home.html")


@login_not_required
def accessibility(request):
    return render(request, "pages/accessibility.html")


@login_not_required
def cookies(request):
    return render(request, "pages/cookies.html")


@login_not_required
def privacy(request):
    return render(request, "pages/privacy.html")
