"""Fixed-base exponentiation: the tables give exactly the numbers pow() gives, for the group's
generator, an election key and any other base, with every kind of exponent."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from sealing import KEY

from domain.voting import elgamal
from domain.voting.elgamal import FixedBase, G, P, Q, fixed_base, g_power, power

EDGES = [0, 1, 2, 255, 256, Q - 1, Q, Q + 1, 2**256 - 1, 2**256, 2**256 + 5, P - 1, P, 3 * Q + 7]
exponents = st.one_of(
    st.sampled_from(EDGES),
    st.integers(min_value=0, max_value=Q - 1),
    st.integers(min_value=Q, max_value=2**2100),  # at and beyond the group order
)


@settings(max_examples=300, deadline=None)
@given(exponent=exponents)
@example(exponent=0)
@example(exponent=1)
@example(exponent=Q - 1)
@example(exponent=Q)
def test_the_generators_table_equals_pow(exponent: int) -> None:
    assert g_power(exponent) == pow(G, exponent, P)
    assert power(G, exponent) == pow(G, exponent, P)


@settings(max_examples=300, deadline=None)
@given(exponent=exponents)
def test_an_election_keys_table_equals_pow(exponent: int) -> None:
    assert fixed_base(KEY.public).power(exponent) == pow(KEY.public, exponent, P)


# A base outside the order-Q subgroup: exponents past 2^256 must not be reduced mod Q.
OUTSIDE = FixedBase(P - 2)


@settings(max_examples=200, deadline=None)
@given(exponent=exponents)
def test_a_base_outside_the_subgroup_is_never_reduced_wrongly(exponent: int) -> None:
    assert not OUTSIDE.of_order_q
    assert OUTSIDE.power(exponent) == pow(P - 2, exponent, P)


@given(exponent=st.integers(min_value=-(2**300), max_value=-1))
def test_negative_exponents_are_inverses_as_with_pow(exponent: int) -> None:
    assert g_power(exponent) == pow(G, exponent, P)


def test_a_base_without_a_table_still_gives_pow() -> None:
    base = pow(G, 12345, P)  # never tabled: power() falls back to GMP
    assert power(base, Q - 1) == pow(base, Q - 1, P)


def test_the_tables_kept_are_bounded() -> None:
    for n in range(2, 14):
        fixed_base(pow(G, n, P))
    fixed_base(KEY.public)
    assert len(elgamal._tables) <= elgamal._TABLE_LIMIT
    assert g_power(Q - 1) == pow(G, Q - 1, P)  # G's table comes back when evicted
