from __future__ import annotations

from django.contrib.auth.views import LoginView
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit


@method_decorator(ratelimit(key="ip", rate="20/m", method="POST", block=True), name="post")
@method_decorator(ratelimit(key="post:username", rate="10/5m", method="POST", block=True), name="post")
class RateLimitedLoginView(LoginView):
    """Sign-in with limits per client and per account name against password guessing."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True
