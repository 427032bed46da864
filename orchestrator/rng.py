"""A tiny seeded random number generator whose whole state is one integer.

``random.Random`` would do, but its state is 625 numbers; one integer keeps snapshots small and makes the
"same seed, same names" promise easy to see in a snapshot.
"""

from __future__ import annotations

_MASK = (1 << 64) - 1


class Rng:
    """SplitMix64: fast, well distributed, and trivially serialisable."""

    __slots__ = ("state",)

    def __init__(self, seed: int) -> None:
        self.state = seed & _MASK

    def next64(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """A uniform integer in ``[0, n)``."""
        if n <= 0:
            raise ValueError("n must be positive")
        return self.next64() % n

    def choice(self, seq):
        return seq[self.below(len(seq))]

    def token(self, alphabet: str, length: int) -> str:
        return "".join(alphabet[self.below(len(alphabet))] for _ in range(length))

    def random(self) -> float:
        return (self.next64() >> 11) / float(1 << 53)
