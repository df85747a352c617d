"""Password hashing: Argon2id with OWASP's parameters (m=19 MiB, t=2, p=1).

Django's own Argon2PasswordHasher defaults to 100 MiB, t=2, p=8; OWASP's cheapest recommended setting
keeps a login near 20 ms of CPU on one core (benchmarks/bench_login.py) while PBKDF2 with 1,000,000
iterations costs ~250 ms, so 300 trainees signing in at once no longer take both cores for 37 s.
Hashes made with other parameters or by PBKDF2 are re-hashed at the next successful login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, 19 MiB, 2 passes, 1 lane. Keeps Django's "argon2" algorithm name, so stored hashes
    stay readable by the stock hasher and parameter changes upgrade through `must_update`."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
