"""Hand-derived gradients agree with autograd and with finite differences on random networks."""

from itertools import pairwise

import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backpropdoc import (
    Network,
    autograd_gradients,
    explain,
    loss,
    manual_gradients,
    numerical_gradients,
    parameters,
)

ACTIVATIONS = st.sampled_from(["relu", "sigmoid", "tanh", "identity"])


@st.composite
def problems(draw):
    """A random network with one sample or a batch of inputs and targets."""
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=5))
    batch = draw(st.one_of(st.none(), st.integers(1, 6)))
    generator = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))

    def normal(*shape):
        return torch.randn(*shape, generator=generator, dtype=torch.float64)

    net = Network(
        [normal(n_out, n_in) for n_in, n_out in pairwise(sizes)],
        [normal(n_out) for n_out in sizes[1:]],
        activation=draw(ACTIVATIONS),
        output_activation=draw(ACTIVATIONS),
    )
    leading = () if batch is None else (batch,)
    return net, normal(*leading, sizes[0]), normal(*leading, sizes[-1])


def assert_agree(mine, theirs, rtol, atol):
    for got, want in zip(mine.tensors(), theirs.tensors(), strict=True):
        torch.testing.assert_close(got, want, rtol=rtol, atol=atol)


def away_from_relu_kinks(net, x):
    """Finite differences straddle the kink of relu when some z is within eps of 0."""
    uses_relu = "relu" in (net.activation.name, net.output_activation.name)
    return not uses_relu or all(z.abs().min() > 1e-4 for z in net.forward(x).z)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_manual_equals_autograd(problem):
    net, x, Y = problem
    assert_agree(manual_gradients(net, x, Y), autograd_gradients(net, x, Y), 1e-9, 1e-12)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_manual_equals_finite_differences(problem):
    net, x, Y = problem
    assume(away_from_relu_kinks(net, x))
    # Each difference of two losses loses about |l| * 1e-16 / eps = |l| * 1e-10 to rounding
    # (eps = 1e-6), so the absolute tolerance grows with the loss: a deep linear network
    # can have l in the thousands.
    l = loss(net.forward(x).output, Y)
    atol = 1e-7 * (1 + l)
    assert_agree(manual_gradients(net, x, Y), numerical_gradients(net, x, Y), 1e-6, atol)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_chain_of_factors_multiplies_to_the_gradient(problem):
    net, x, Y = problem
    x, Y = x.reshape(-1, x.shape[-1])[0], Y.reshape(-1, Y.shape[-1])[0]
    grads = manual_gradients(net, x, Y)
    for parameter in parameters(net):
        chain = explain(net, x, Y, parameter)
        assert abs(chain.value - parameter.gradient(grads)) <= 1e-9 * (1 + abs(chain.value))


def test_batch_gradient_is_the_mean_of_per_sample_gradients():
    generator = torch.Generator().manual_seed(0)
    net = Network(
        [torch.randn(3, 2, generator=generator), torch.randn(1, 3, generator=generator)],
        activation="tanh",
        output_activation="identity",
    )
    x = torch.randn(4, 2, generator=generator)
    Y = torch.randn(4, generator=generator)
    batch = manual_gradients(net, x, Y)
    singles = [manual_gradients(net, x[i], Y[i]) for i in range(4)]
    for l, dW in enumerate(batch.weights):
        mean = torch.stack([g.weights[l] for g in singles]).mean(dim=0)
        torch.testing.assert_close(dW, mean)


def test_relu_slope_at_zero_is_zero_like_torch():
    z = torch.tensor([0.0], dtype=torch.float64, requires_grad=True)
    torch.relu(z).sum().backward()
    assert z.grad is not None and z.grad.item() == 0.0
    net = Network([[[1.0, -1.0]]], [[0.0]], output_activation="relu")
    assert manual_gradients(net, [1.0, 1.0], 1.0).weights[0].tolist() == [[0.0, 0.0]]
    assert autograd_gradients(net, [1.0, 1.0], 1.0).weights[0].tolist() == [[0.0, 0.0]]
