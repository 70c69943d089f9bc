"""The demo world: realistic but fictional data so a new install shows a living system.

``section307 demo --seed N`` is deterministic and idempotent. Each bounded context adds
its own step to ``STEPS`` (dotted paths to ``step(world) -> None`` functions).
"""
