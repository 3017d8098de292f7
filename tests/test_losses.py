"""Cross-entropy, softmax, random starts: by hand = autograd = finite differences = PyTorch."""

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backpropdoc import (
    ACTIVATIONS,
    Network,
    autograd_gradients,
    error_signals,
    explain,
    loss,
    loss_gradient,
    manual_gradients,
    numerical_gradients,
    parameters,
    random_network,
    train,
)

HIDDEN = ["relu", "sigmoid", "tanh", "identity"]
# (output activation, loss, how many outputs it needs at least / exactly)
OUTPUTS = [
    ("relu", "squared"),
    ("sigmoid", "squared"),
    ("tanh", "squared"),
    ("identity", "squared"),
    ("softmax", "squared"),
    ("softmax", "cross_entropy"),
    ("sigmoid", "cross_entropy"),
]


@st.composite
def problems(draw, outputs=tuple(OUTPUTS)):
    """A random network from random_network, random biases, and a target that fits its loss."""
    output, kind = draw(st.sampled_from(outputs))
    hidden = draw(st.lists(st.integers(1, 5), min_size=0, max_size=3))
    if output == "softmax":
        n_out = draw(st.integers(2, 5))
    elif kind == "cross_entropy":
        n_out = 1
    else:
        n_out = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 4)), *hidden, n_out]
    init = draw(st.sampled_from(["he", "xavier", "normal"]))
    net = random_network(
        sizes,
        activation=draw(st.sampled_from(HIDDEN)),
        output_activation=output,
        init=init,
        seed=draw(st.integers(0, 2**64 - 1)),
        **({"scale": draw(st.sampled_from([0.5, 1.0, 2.0]))} if init == "normal" else {}),
    )
    generator = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))

    def normal(*shape):
        return torch.randn(*shape, generator=generator, dtype=torch.float64)

    net = net.with_parameters(net.weights, [normal(n) for n in sizes[1:]])
    batch = draw(st.one_of(st.none(), st.integers(1, 5)))
    leading = () if batch is None else (batch,)
    x = normal(*leading, sizes[0])
    if kind == "squared":
        Y = normal(*leading, n_out)
    elif output == "softmax":
        # a distribution, or one-hot (a very peaked distribution rounds to it)
        Y = torch.softmax(normal(*leading, n_out) * draw(st.sampled_from([1.0, 50.0])), dim=-1)
    else:
        Y = torch.rand(*leading, n_out, generator=generator, dtype=torch.float64)
    return net, x, Y, kind


def assert_agree(mine, theirs, rtol, atol):
    for got, want in zip(mine.tensors(), theirs.tensors(), strict=True):
        torch.testing.assert_close(got, want, rtol=rtol, atol=atol)


def away_from_relu_kinks(net, x):
    uses_relu = "relu" in (net.activation.name, net.output_activation.name)
    return not uses_relu or all(z.abs().min() > 1e-4 for z in net.forward(x).z)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_manual_equals_autograd_for_every_loss_and_output(problem):
    net, x, Y, kind = problem
    manual = manual_gradients(net, x, Y, loss=kind)
    assert_agree(manual, autograd_gradients(net, x, Y, loss=kind), 1e-9, 1e-12)


@settings(max_examples=100, deadline=None)
@given(problems())
def test_manual_equals_finite_differences_for_every_loss_and_output(problem):
    net, x, Y, kind = problem
    assume(away_from_relu_kinks(net, x))
    # As in test_gradients: rounding in each difference of two losses grows with the loss.
    value = train_loss(net, x, Y, kind)
    atol = 1e-7 * (1 + value)
    numerical = numerical_gradients(net, x, Y, loss=kind)
    assert_agree(manual_gradients(net, x, Y, loss=kind), numerical, 1e-6, atol)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_chain_of_factors_multiplies_to_the_gradient_for_every_loss(problem):
    net, x, Y, kind = problem
    x, Y = x.reshape(-1, x.shape[-1])[0], Y.reshape(-1, Y.shape[-1])[0]
    grads = manual_gradients(net, x, Y, loss=kind)
    for parameter in parameters(net):
        chain = explain(net, x, Y, parameter, loss=kind)
        assert abs(chain.value - parameter.gradient(grads)) <= 1e-9 * (1 + abs(chain.value))


def train_loss(net, x, Y, kind):
    """The loss before any update, as train computes it (from the logits)."""
    return train(net, x, Y, lr=1e-9, steps=1, loss=kind).losses[0]


def torch_loss(net, weights, biases, x, Y, kind):
    """The loss from PyTorch's own functions, on the logits z^(L) of a plain forward pass."""
    a = x.reshape(-1, x.shape[-1])
    for layer, (w, b) in enumerate(zip(weights, biases, strict=True), start=1):
        z = a @ w.T + b
        a = net.activation_of(layer).f(z) if layer < len(weights) else z
    target = Y.reshape(z.shape)
    if net.output_activation.name == "softmax":
        return F.cross_entropy(z, target)  # probabilities as targets, mean over the batch
    return F.binary_cross_entropy_with_logits(z, target)  # one output: mean over the batch


@settings(max_examples=100, deadline=None)
@given(problems(outputs=[o for o in OUTPUTS if o[1] == "cross_entropy"]))
def test_cross_entropy_matches_pytorch(problem):
    net, x, Y, kind = problem
    weights = [w.requires_grad_() for w in net.weights]
    biases = [b.requires_grad_() for b in net.biases]
    theirs = torch_loss(net, weights, biases, x, Y, kind)
    assert train_loss(net, x, Y, kind) == pytest.approx(theirs.item(), rel=1e-12, abs=1e-14)
    # `loss` sees probabilities, not logits: log y_j (or log(1 − y) over one sigmoid) has lost the
    # digits that rounding took from y_j, about 1e-16 / y_j, and nothing is left where y_j
    # rounded to 0. The gradient functions and train use the logits and need no such allowance.
    y = net.forward(x).output.detach()
    closest_to_certain = (torch.minimum(y, 1 - y) if y.shape[-1] == 1 else y).min().item()
    if closest_to_certain > 0:
        assert loss(y, Y, kind="cross_entropy") == pytest.approx(
            theirs.item(), rel=1e-9, abs=1e-12 + 4e-15 / closest_to_certain
        )
    grads = torch.autograd.grad(theirs, [*weights, *biases])
    manual = manual_gradients(net, x, Y, loss=kind)
    for l in range(len(weights)):
        torch.testing.assert_close(manual.weights[l], grads[l], rtol=1e-9, atol=1e-12)
        torch.testing.assert_close(manual.biases[l], grads[len(weights) + l], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("logit", [800.0, -800.0, 40.0, -40.0])
def test_cross_entropy_is_computed_stably_from_the_logits(logit):
    # Over a sigmoid, σ(±800) rounds to 1 or 0: log y or log(1 − y) would be −inf.
    net = Network([[[logit]]], None, output_activation="sigmoid")
    for Y in (0.0, 0.3, 1.0):
        z = torch.tensor([[logit]], dtype=torch.float64)
        want = F.binary_cross_entropy_with_logits(z, torch.tensor([[Y]], dtype=torch.float64))
        assert train_loss(net, [1.0], Y, "cross_entropy") == pytest.approx(want.item(), rel=1e-12)
        got = manual_gradients(net, [1.0], Y, loss="cross_entropy").weights[0].item()
        assert got == pytest.approx(torch.sigmoid(z).item() - Y, rel=1e-12, abs=1e-300)
    # Over a softmax, e^800 overflows unless the largest logit is subtracted first.
    net = Network([[[logit], [0.0], [-logit]]], None, output_activation="softmax")
    z = torch.tensor([[logit, 0.0, -logit]], dtype=torch.float64)
    Y = torch.tensor([0.2, 0.3, 0.5], dtype=torch.float64)
    assert train_loss(net, [1.0], Y, "cross_entropy") == pytest.approx(
        F.cross_entropy(z, Y.unsqueeze(0)).item(), rel=1e-12
    )
    grads = manual_gradients(net, [1.0], Y, loss="cross_entropy")
    torch.testing.assert_close(grads.biases[0], (torch.softmax(z, -1) - Y)[0], rtol=1e-12, atol=0)


def test_bp1_general_form_equals_y_minus_Y_for_cross_entropy():
    """δ^(L) = (∂y/∂z^(L))ᵀ ∇_y l with ∇_y l = −Y/y is exactly y − Y over a softmax."""
    generator = torch.Generator().manual_seed(3)
    z = torch.randn(4, generator=generator, dtype=torch.float64)
    Y = torch.tensor([0.1, 0.2, 0.3, 0.4], dtype=torch.float64)
    softmax = ACTIVATIONS["softmax"]
    y = softmax.f(z)
    general = softmax.jacobian(z).T @ loss_gradient(y, Y, "cross_entropy")
    torch.testing.assert_close(general, y - Y, rtol=1e-12, atol=1e-15)
    # Over one sigmoid, ∇_y l = (y − Y) / (y(1 − y)) and f'(z) = y(1 − y).
    sigmoid = ACTIVATIONS["sigmoid"]
    z1, Y1 = z[:1], Y[:1]
    y1 = sigmoid.f(z1)
    general = loss_gradient(y1, Y1, "cross_entropy") * sigmoid.df(z1)
    torch.testing.assert_close(general, y1 - Y1, rtol=1e-12, atol=1e-15)
    # And what error_signals gives for a one-layer softmax network is that same y − Y.
    net = Network([torch.diag(z)], None, output_activation="softmax")
    delta = error_signals(net, net.forward([1.0] * 4), Y, loss="cross_entropy")
    torch.testing.assert_close(delta[0][0], y - Y, rtol=1e-12, atol=1e-15)


def test_softmax_jacobian_is_autograds():
    generator = torch.Generator().manual_seed(4)
    z = torch.randn(2, 3, generator=generator, dtype=torch.float64)
    softmax = ACTIVATIONS["softmax"]
    for row in range(2):
        want = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, -1), z[row])
        torch.testing.assert_close(softmax.jacobian(z)[row], want, rtol=1e-12, atol=1e-15)
        torch.testing.assert_close(softmax.jacobian(z[row]), want, rtol=1e-12, atol=1e-15)
    with pytest.raises(TypeError, match=r"^softmax is not elementwise: it has no f'\(z_j\); use"):
        softmax.df(z)
    for name in ("relu", "sigmoid", "tanh", "identity"):
        f = ACTIVATIONS[name]
        torch.testing.assert_close(f.jacobian(z[0]), torch.diag(f.df(z[0])))


def test_cross_entropy_of_probabilities_matches_pytorch():
    probs = torch.tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]], dtype=torch.float64)
    Y = torch.tensor([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]], dtype=torch.float64)
    assert loss(probs, Y, kind="cross_entropy") == pytest.approx(
        F.cross_entropy(probs.log(), Y).item(), rel=1e-12
    )
    p, t = torch.tensor([0.9, 0.2, 0.5], dtype=torch.float64), torch.tensor([1.0, 0.0, 0.3])
    assert loss(p.reshape(3, 1), t.tolist(), kind="cross_entropy") == pytest.approx(
        F.binary_cross_entropy(p, t.double()).item(), rel=1e-12
    )
    assert loss([0.9], 1.0, kind="cross_entropy") == pytest.approx(-math.log(0.9), rel=1e-15)
    assert loss([0.5, 0.5], [0.0, 1.0], kind="cross_entropy") == pytest.approx(math.log(2))


def test_squared_stays_the_default():
    net = Network([[[1.0, 2.0]]], None, output_activation="sigmoid")
    assert_agree(
        manual_gradients(net, [1.0, 1.0], 0.5),
        manual_gradients(net, [1.0, 1.0], 0.5, loss="squared"),
        0,
        0,
    )
    assert loss([4.0], 5.0) == loss([4.0], 5.0, kind="squared") == 0.5


def test_cross_entropy_does_not_saturate_like_squared_error_on_a_sigmoid():
    # A confidently wrong sigmoid output: z = 10, y ≈ 1, Y = 0.
    net = Network([[[10.0]]], None, output_activation="sigmoid")
    squared = manual_gradients(net, [1.0], 0.0).weights[0].item()
    cross = manual_gradients(net, [1.0], 0.0, loss="cross_entropy").weights[0].item()
    y = torch.sigmoid(torch.tensor(10.0, dtype=torch.float64)).item()
    assert squared == pytest.approx(y * y * (1 - y), rel=1e-12)  # (y − Y) σ'(z): tiny
    assert cross == pytest.approx(y, rel=1e-12)  # y − Y: nearly 1
    assert cross > 1000 * squared


def test_explain_with_cross_entropy_starts_at_y_minus_Y():
    net = Network([[[1.0, -1.0], [0.5, 0.5]], [[1.0, 2.0]]], None, "tanh", "sigmoid")
    chain = explain(net, [2.0, 3.0], 1.0, "w_11^(2)", loss="cross_entropy")
    y = net.forward([2.0, 3.0]).output.item()
    assert [f.role for f in chain.factors] == ["loss", "input"]
    assert chain.factors[0].value == pytest.approx(y - 1.0, rel=1e-15)
    assert chain.text().startswith("∂l/∂w_11^(2) = (y - Y) · a_1^(1) = ")
    assert chain.latex().startswith(
        r"\begin{aligned}\frac{\partial l}{\partial w_{11}^{(2)}} &= "
        r"\frac{\partial l}{\partial z_1^{(2)}} \frac{\partial z_1^{(2)}}{\partial w_{11}^{(2)}}"
        r" \\ &= (y - Y) \cdot a_1^{(1)} \\ &= "
    )
    softmax = Network(
        [[[1.0, -1.0], [0.5, 0.5]], [[1.0, 0.0], [0.0, 1.0]]], None, "tanh", "softmax"
    )
    chain = explain(softmax, [2.0, 3.0], [0.0, 1.0], "b_2^(2)", loss="cross_entropy")
    assert chain.text().startswith("∂l/∂b_2^(2) = (y_2 - Y_2) · 1 = ")
    chain = explain(softmax, [2.0, 3.0], [0.0, 1.0], "b_2^(2)")
    assert chain.text().startswith("∂l/∂b_2^(2) = Σ_i (y_i - Y_i) y_i([i = 2] - y_2) · 1 = ")


def test_train_with_cross_entropy_learns_xor():
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    Y = [0.0, 1.0, 1.0, 0.0]
    net = random_network([2, 4, 1], activation="tanh", output_activation="sigmoid", init="xavier")
    result = train(net, X, Y, lr=1.0, steps=500, loss="cross_entropy")
    assert result.losses[0] == pytest.approx(
        loss(net.forward(X).output, Y, kind="cross_entropy"), rel=1e-12
    )
    assert result.losses[-1] == pytest.approx(
        loss(result.network.forward(X).output, Y, kind="cross_entropy"), rel=1e-9
    )
    predictions = (result.network.forward(X).output.reshape(-1) > 0.5).tolist()
    assert predictions == [False, True, True, False]


@pytest.mark.parametrize(
    ("init", "kwargs", "draw"),
    [
        ("he", {}, lambda w, g: torch.nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)),
        ("xavier", {}, lambda w, g: torch.nn.init.xavier_normal_(w, generator=g)),
        ("normal", {}, lambda w, g: torch.nn.init.normal_(w, std=0.01, generator=g)),
        ("normal", {"scale": 0.5}, lambda w, g: torch.nn.init.normal_(w, std=0.5, generator=g)),
    ],
)
def test_random_network_draws_what_torch_nn_init_draws(init, kwargs, draw):
    net = random_network([3, 4, 2], init=init, seed=7, activation="tanh", **kwargs)
    generator = torch.Generator().manual_seed(7)
    for w, (n_out, n_in) in zip(net.weights, [(4, 3), (2, 4)], strict=True):
        want = draw(torch.empty(n_out, n_in, dtype=torch.float64), generator)
        assert torch.equal(w, want)
    assert [b.tolist() for b in net.biases] == [[0.0] * 4, [0.0] * 2]
    assert net.layer_sizes == [3, 4, 2]
    assert (net.activation.name, net.output_activation.name) == ("tanh", "relu")


@pytest.mark.parametrize(
    ("init", "std"),
    [("he", math.sqrt(2 / 400)), ("xavier", math.sqrt(2 / (400 + 300))), ("normal", 0.01)],
)
def test_random_network_scale_follows_the_scheme(init, std):
    # 120 000 draws: the sample standard deviation is within 1% of the true one (seeded).
    (w,) = random_network([400, 300], init=init, seed=1).weights
    assert w.std().item() == pytest.approx(std, rel=0.01)
    assert abs(w.mean().item()) < 0.01 * std


def test_random_network_is_seeded():
    first = random_network([2, 3, 1])
    again = random_network([2, 3, 1])
    assert [w.tolist() for w in first.weights] == [w.tolist() for w in again.weights]
    other = random_network([2, 3, 1], seed=1)
    assert first.weights[0].tolist() != other.weights[0].tolist()
