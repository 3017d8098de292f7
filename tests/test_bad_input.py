"""Bad input gets a ValueError or TypeError that names the parameter, never a wrong number.

Every message is matched whole (``exactly``): a test that matched a fragment would pass a
message with a wrong number in it, or one wrapped in other words.
"""

import math
import re

import pytest
import torch

from backpropdoc import (
    Network,
    Parameter,
    autograd_gradients,
    error_signals,
    explain,
    loss,
    manual_gradients,
    notebook_network,
    numerical_gradients,
    parameters,
    random_network,
    sgd_step,
    train,
)

GRADIENT_FUNCTIONS = [manual_gradients, autograd_gradients, numerical_gradients]
OVERFLOW_LOSS = (
    "the loss overflows float64 (it is inf): x, Y, the weights or the biases are too large; "
    "use smaller numbers"
)
LOSS_CHOICES = "['cross_entropy', 'squared']"


def exactly(message: str) -> str:
    """A regex that matches ``message`` and nothing longer or shorter."""
    return f"^{re.escape(message)}$"


def softmax_network() -> Network:
    return Network([[[1.0, -1.0], [0.5, 0.5]], [[1.0, 0.0], [0.0, 1.0]]], None, "tanh", "softmax")


def sigmoid_network() -> Network:
    return Network([[[1.0, -1.0], [0.5, 0.5]], [[1.0, 2.0]]], None, "tanh", "sigmoid")


@pytest.mark.parametrize("gradients", GRADIENT_FUNCTIONS)
@pytest.mark.parametrize(
    ("x", "Y", "error", "message"),
    [
        (
            [2.0, 3.0, 4.0],
            5.0,
            ValueError,
            "x must have 2 features (the network's input width); got shape (3,)",
        ),
        (
            [[2.0, 3.0, 1.0]],
            5.0,
            ValueError,
            "x must have 2 features (the network's input width); got shape (1, 3)",
        ),
        ([2.0, math.nan], 5.0, ValueError, "x must be finite; it contains NaN or inf"),
        ([2.0, math.inf], 5.0, ValueError, "x must be finite; it contains NaN or inf"),
        ([2.0, 3.0], math.nan, ValueError, "Y must be finite; it contains NaN or inf"),
        (
            [2.0, 3.0],
            [5.0, 6.0],
            ValueError,
            "Y must have shape (1,) to match x and the network's output; got shape (2,)",
        ),
        (
            [[2.0, 3.0], [1.0, 1.0]],
            [5.0, 6.0, 7.0],
            ValueError,
            "Y must have shape (2, 1) to match x and the network's output; got shape (3,)",
        ),
        # The same number of entries in another shape is still the wrong shape.
        (
            [[2.0, 3.0], [1.0, 1.0]],
            [[5.0, 6.0]],
            ValueError,
            "Y must have shape (2, 1) to match x and the network's output; got shape (1, 2)",
        ),
        (
            [2.0, [3.0]],
            5.0,
            ValueError,
            "x is ragged: its nested lists must all have the same length; got [2.0, [3.0]]",
        ),
        (
            [[[2.0, 3.0]], [[2.0]]],
            5.0,
            ValueError,
            "x is ragged: its nested lists must all have the same length; "
            "got [[[2.0, 3.0]], [[2.0]]]",
        ),
        ("2 3", 5.0, TypeError, "x must be numbers (a tensor or nested lists); got '2 3'"),
        (True, 5.0, TypeError, "x must be numbers (a tensor or nested lists); got True"),
        ([2.0, 3.0], True, TypeError, "Y must be numbers (a tensor or nested lists); got True"),
        ([2.0, "3"], 5.0, TypeError, "x is not made of numbers: found '3'"),
        ([2.0, True], 5.0, TypeError, "x is not made of numbers: found True"),
        (None, 5.0, TypeError, "x must be numbers (a tensor or nested lists); got None"),
        ([2.0, 3.0], None, TypeError, "Y must be numbers (a tensor or nested lists); got None"),
        (torch.zeros(0, 2), 5.0, ValueError, "x must not be empty; got shape (0, 2)"),
        ([], 5.0, ValueError, "x must not be empty; got shape (0,)"),
        ([2.0, 3.0], [], ValueError, "Y must not be empty; got shape (0,)"),
        (torch.zeros(1, 1, 2), 5.0, ValueError, "x must be 1-D or 2-D; got shape (1, 1, 2)"),
        (
            torch.tensor([True, False]),
            5.0,
            TypeError,
            "x must hold real numbers; got a tensor of torch.bool",
        ),
        # Finite numbers whose results overflow float64 (about 1.8e308).
        (
            [1e308, 1e308],
            5.0,
            ValueError,
            "the forward pass overflows float64: z^(2) is not finite; x, the weights or the "
            "biases are too large: use smaller numbers",
        ),
        ([2.0, 3.0], 1e200, ValueError, OVERFLOW_LOSS),
        ([1e160, 1e160], 0.0, ValueError, OVERFLOW_LOSS),
    ],
)
def test_bad_samples(gradients, x, Y, error, message):
    with pytest.raises(error, match=exactly(message)):
        gradients(notebook_network(), x, Y)


@pytest.mark.parametrize("gradients", GRADIENT_FUNCTIONS)
def test_gradients_that_overflow_are_an_error_not_inf(gradients):
    # The loss (y − Y)²/2 ≈ 4.5e300 fits in float64; ∂l/∂W^(1) = δ^(1) x ≈ 3e150 · 1e160 does not.
    net = Network([[[1e-10, 0.0]], [[1.0]]], None, "identity", "identity")
    with pytest.raises(
        ValueError,
        match=exactly(
            "the gradients overflow float64: x, Y, the weights or the biases are too large; "
            "use smaller numbers"
        ),
    ):
        gradients(net, [1e160, 1e160], 1e150 + 3e150)


@pytest.mark.parametrize(
    "call",
    [
        lambda: manual_gradients("net", [2.0, 3.0], 5.0),
        lambda: autograd_gradients("net", [2.0, 3.0], 5.0),
        lambda: numerical_gradients("net", [2.0, 3.0], 5.0),
        lambda: error_signals("net", notebook_network().forward([2.0, 3.0]), 5.0),
        lambda: explain("net", [2.0, 3.0], 5.0, "w_11^(1)"),
        lambda: parameters("net"),
        lambda: train("net", [2.0, 3.0], 5.0, 0.1, 1),
        lambda: sgd_step("net", manual_gradients(notebook_network(), [2.0, 3.0], 5.0), 0.1),
    ],
)
def test_a_string_where_a_network_belongs(call):
    with pytest.raises(TypeError, match=exactly("net must be a Network; got str")):
        call()


def test_error_signals_needs_a_trace():
    with pytest.raises(
        TypeError, match=exactly("trace must be a Trace (from net.forward(x)); got list")
    ):
        error_signals(notebook_network(), [[2.0, 3.0]], 5.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda net, kw: manual_gradients(net, [2.0, 3.0], 5.0, **kw),
        lambda net, kw: autograd_gradients(net, [2.0, 3.0], 5.0, **kw),
        lambda net, kw: numerical_gradients(net, [2.0, 3.0], 5.0, **kw),
        lambda net, kw: error_signals(net, net.forward([2.0, 3.0]), 5.0, **kw),
        lambda net, kw: explain(net, [2.0, 3.0], 5.0, "w_11^(1)", **kw),
        lambda net, kw: train(net, [2.0, 3.0], 5.0, 0.1, 1, **kw),
    ],
)
@pytest.mark.parametrize(
    ("net", "kw", "error", "message"),
    [
        (
            notebook_network(),
            {"loss": "cross"},
            ValueError,
            f"loss must be one of {LOSS_CHOICES}; got 'cross'",
        ),
        (
            notebook_network(),
            {"loss": None},
            TypeError,
            f"loss must be a string, one of {LOSS_CHOICES}; got None",
        ),
        (
            notebook_network(),
            {"loss": "cross_entropy"},
            ValueError,
            "loss='cross_entropy' needs probabilities out of the network (output_activation "
            "'softmax' or 'sigmoid'); this network's is 'relu'",
        ),
        (
            Network([[[1.0, 2.0]]], None, output_activation="identity"),
            {"loss": "cross_entropy"},
            ValueError,
            "loss='cross_entropy' needs probabilities out of the network (output_activation "
            "'softmax' or 'sigmoid'); this network's is 'identity'",
        ),
        (
            Network([[[1.0, 2.0]]], None, output_activation="tanh"),
            {"loss": "cross_entropy"},
            ValueError,
            "loss='cross_entropy' needs probabilities out of the network (output_activation "
            "'softmax' or 'sigmoid'); this network's is 'tanh'",
        ),
        (
            Network([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]], None, output_activation="sigmoid"),
            {"loss": "cross_entropy"},
            ValueError,
            "loss='cross_entropy' with a sigmoid output needs one output neuron; this network "
            "has 3: use output_activation='softmax' for 3 classes",
        ),
    ],
)
def test_losses_that_make_no_sense(call, net, kw, error, message):
    with pytest.raises(error, match=exactly(message)):
        call(net, kw)


@pytest.mark.parametrize("gradients", GRADIENT_FUNCTIONS)
@pytest.mark.parametrize(
    ("net", "Y", "message"),
    [
        (
            softmax_network(),
            [-0.5, 1.5],
            "Y must hold probabilities between 0 and 1 for cross-entropy; got -0.5",
        ),
        (
            softmax_network(),
            [0.5, 1.5],
            "Y must hold probabilities between 0 and 1 for cross-entropy; got 1.5",
        ),
        # The entry named is the first one outside [0, 1], not a 0 or a 1 before it.
        (
            softmax_network(),
            [0.0, 1.5],
            "Y must hold probabilities between 0 and 1 for cross-entropy; got 1.5",
        ),
        (
            softmax_network(),
            [1.0, -0.5],
            "Y must hold probabilities between 0 and 1 for cross-entropy; got -0.5",
        ),
        (
            softmax_network(),
            [0.2, 0.7],
            "Y must sum to 1 over the outputs for cross-entropy with a softmax output "
            "(one-hot or a distribution); a row sums to 0.9",
        ),
        (
            sigmoid_network(),
            2.0,
            "Y must hold probabilities between 0 and 1 for cross-entropy; got 2",
        ),
        (
            sigmoid_network(),
            -1.0,
            "Y must hold probabilities between 0 and 1 for cross-entropy; got -1",
        ),
    ],
)
def test_cross_entropy_targets_must_be_probabilities(gradients, net, Y, message):
    with pytest.raises(ValueError, match=exactly(message)):
        gradients(net, [2.0, 3.0], Y, loss="cross_entropy")


def test_a_sigmoid_target_of_any_probability_is_fine():
    grads = manual_gradients(sigmoid_network(), [2.0, 3.0], 0.25, loss="cross_entropy")
    assert all(torch.isfinite(t).all() for t in grads.tensors())


@pytest.mark.parametrize(
    ("weights", "biases", "kwargs", "error", "message"),
    [
        (
            [[[1.0, 2.0]], [[1.0, 2.0]]],
            None,
            {},
            ValueError,
            "weights[1] has 2 columns but layer 1 has 1 neurons: shapes do not chain "
            "((1, 2), (1, 2))",
        ),
        (
            [[[1.0, 2.0]]],
            [[0.0, 0.0]],
            {},
            ValueError,
            "biases[0] must have length 1 (the neurons of layer 1); got 2",
        ),
        (
            [[[1.0, 2.0]]],
            [[0.0], [0.0]],
            {},
            ValueError,
            "biases must have one vector per layer (1); got 2",
        ),
        (
            [[[1.0, 2.0], [3.0]]],
            None,
            {},
            ValueError,
            "weights[0] is ragged: its nested lists must all have the same length; "
            "got [[1.0, 2.0], [3.0]]",
        ),
        (
            [[[1.0, math.nan]]],
            None,
            {},
            ValueError,
            "weights[0] must be finite; it contains NaN or inf",
        ),
        (
            [[[1.0, 2.0]]],
            [[math.inf]],
            {},
            ValueError,
            "biases[0] must be finite; it contains NaN or inf",
        ),
        ([[1.0, 2.0]], None, {}, ValueError, "weights[0] must be 2-D; got shape (2,)"),
        (
            [torch.zeros(1, 0)],
            None,
            {},
            ValueError,
            "weights[0] must not be empty; got shape (1, 0)",
        ),
        (
            [torch.zeros(0, 2)],
            None,
            {},
            ValueError,
            "weights[0] must not be empty; got shape (0, 2)",
        ),
        (
            [torch.ones(1, 2), torch.zeros(0, 1)],
            None,
            {},
            ValueError,
            "weights[1] must not be empty; got shape (0, 1)",
        ),
        ([[[1.0, 2.0]]], [[]], {}, ValueError, "biases[0] must not be empty; got shape (0,)"),
        ([], None, {}, ValueError, "weights must have at least one layer"),
        (torch.ones(1, 2), None, {}, TypeError, "weights must be a list with one matrix per layer"),
        ("weights", None, {}, TypeError, "weights must be a list with one matrix per layer"),
        (
            ["abc"],
            None,
            {},
            TypeError,
            "weights[0] must be numbers (a tensor or nested lists); got 'abc'",
        ),
        (
            [[["1.0", "2.0"]]],
            None,
            {},
            TypeError,
            "weights[0] is not made of numbers: found '1.0'",
        ),
        (
            [[[1.0, 2.0]]],
            "0",
            {},
            TypeError,
            "biases must be a list with one vector per layer, or None",
        ),
        (
            [[[1.0, 2.0]]],
            None,
            {"activation": "gelu"},
            ValueError,
            "activation must be one of ['identity', 'relu', 'sigmoid', 'softmax', 'tanh']; "
            "got 'gelu'",
        ),
        (
            [[[1.0, 2.0]]],
            None,
            {"output_activation": "gelu"},
            ValueError,
            "output_activation must be one of ['identity', 'relu', 'sigmoid', 'softmax', "
            "'tanh']; got 'gelu'",
        ),
        (
            [[[1.0, 2.0]]],
            None,
            {"activation": None},
            TypeError,
            "activation must be a string, one of ['identity', 'relu', 'sigmoid', 'softmax', "
            "'tanh']; got None",
        ),
        (
            [[[1.0, 2.0]], [[1.0]]],
            None,
            {"activation": "softmax"},
            ValueError,
            "activation='softmax' is only for the output layer: it is not elementwise "
            "(each output depends on every z^(L)); use output_activation='softmax'",
        ),
        (
            [[[1.0, 2.0]]],
            None,
            {"output_activation": "softmax"},
            ValueError,
            "output_activation='softmax' needs at least 2 output neurons (over one neuron it "
            "is always 1); got 1",
        ),
        (
            [torch.ones(1, 2, dtype=torch.bool)],
            None,
            {},
            TypeError,
            "weights[0] must hold real numbers; got a tensor of torch.bool",
        ),
        (
            [torch.ones(1, 2, dtype=torch.complex128)],
            None,
            {},
            TypeError,
            "weights[0] must hold real numbers; got a tensor of torch.complex128",
        ),
    ],
)
def test_bad_networks(weights, biases, kwargs, error, message):
    with pytest.raises(error, match=exactly(message)):
        Network(weights, biases, **kwargs)


@pytest.mark.parametrize(
    ("lr", "error", "message"),
    [
        (0, ValueError, "lr must be a finite number > 0; got 0"),
        (-0.1, ValueError, "lr must be a finite number > 0; got -0.1"),
        (math.inf, ValueError, "lr must be a finite number > 0; got inf"),
        (math.nan, ValueError, "lr must be a finite number > 0; got nan"),
        ("0.1", TypeError, "lr must be a number; got '0.1'"),
        (True, TypeError, "lr must be a number; got True"),
        (None, TypeError, "lr must be a number; got None"),
    ],
)
def test_bad_learning_rates(lr, error, message):
    net = notebook_network()
    grads = manual_gradients(net, [2.0, 3.0], 5.0)
    with pytest.raises(error, match=exactly(message)):
        sgd_step(net, grads, lr)
    with pytest.raises(error, match=exactly(message)):
        train(net, [2.0, 3.0], 5.0, lr, steps=1)


def test_a_learning_rate_so_large_the_update_overflows():
    net = notebook_network()
    grads = manual_gradients(net, [2.0, 3.0], 5.0)
    with pytest.raises(
        ValueError,
        match=exactly(
            "lr=1e+308 is too large: the update overflows float64 (weights[0] − lr · "
            "grads.weights[0] is not finite); use a smaller lr"
        ),
    ):
        sgd_step(net, grads, 1e308)
    with pytest.raises(
        ValueError,
        match=exactly(
            "gradient descent diverged in step 1 of 3 with lr=1e+308: the numbers overflow "
            "float64; try a smaller lr"
        ),
    ):
        train(net, [2.0, 3.0], 5.0, 1e308, steps=3)


@pytest.mark.parametrize(
    ("steps", "error", "message"),
    [
        (0, ValueError, "steps must be at least 1; got 0"),
        (-3, ValueError, "steps must be at least 1; got -3"),
        (1.5, TypeError, "steps must be a whole number; got 1.5"),
        ("2", TypeError, "steps must be a whole number; got '2'"),
        (True, TypeError, "steps must be a whole number; got True"),
    ],
)
def test_bad_steps(steps, error, message):
    with pytest.raises(error, match=exactly(message)):
        train(notebook_network(), [2.0, 3.0], 5.0, 0.1, steps)


def test_divergence_names_the_step_it_happened_in():
    net, x, Y, lr = (
        Network([[[1.0, 1.0]]], None, output_activation="identity"),
        [30.0, 30.0],
        1.0,
        1.0,
    )

    def first_step_that_overflows() -> int:
        # The same updates one at a time, bounded by the 200 steps given to train below: a
        # change that stops the divergence fails here instead of looping for ever.
        current = net
        for step in range(1, 201):
            try:
                current = sgd_step(current, manual_gradients(current, x, Y), lr)
                loss(current.forward(x).output, Y)
            except ValueError:
                return step
        pytest.fail("200 steps of lr=1.0 did not diverge")

    step = first_step_that_overflows()
    assert step > 1
    with pytest.raises(
        ValueError,
        match=exactly(
            f"gradient descent diverged in step {step} of 200 with lr=1.0: the numbers overflow "
            "float64; try a smaller lr"
        ),
    ):
        train(net, x, Y, lr=lr, steps=200)
    # One step fewer runs to the end, every loss finite.
    assert len(train(net, x, Y, lr=lr, steps=step - 1).losses) == step


def test_inputs_that_overflow_before_any_step_are_not_blamed_on_lr():
    with pytest.raises(ValueError, match=exactly(OVERFLOW_LOSS)):
        train(notebook_network(), [2.0, 3.0], 1e200, 0.1, steps=3)


def test_sgd_step_checks_the_gradients_fit_the_network():
    other = manual_gradients(Network([[[1.0, 2.0]]]), [1.0, 1.0], 1.0)
    with pytest.raises(
        ValueError,
        match=exactly(
            "grads must be shaped like the network's parameters [(3, 2), (1, 3), (3,), (1,)]"
        ),
    ):
        sgd_step(notebook_network(), other, 0.1)
    with pytest.raises(TypeError, match=exactly("grads must be Gradients; got list")):
        sgd_step(notebook_network(), [torch.zeros(3, 2)], 0.1)


@pytest.mark.parametrize(
    ("eps", "error", "message"),
    [
        (0.0, ValueError, "eps must be a finite number > 0; got 0.0"),
        (-1e-6, ValueError, "eps must be a finite number > 0; got -1e-06"),
        (math.nan, ValueError, "eps must be a finite number > 0; got nan"),
        ("1e-6", TypeError, "eps must be a number; got '1e-6'"),
        (True, TypeError, "eps must be a number; got True"),
        (
            1e308,
            ValueError,
            "eps must be between 1e-12 and 1 for this network's parameters (largest |θ| = 1); "
            "got 1e+308",
        ),
        (
            1e-300,
            ValueError,
            "eps must be between 1e-12 and 1 for this network's parameters (largest |θ| = 1); "
            "got 1e-300",
        ),
    ],
)
def test_bad_eps(eps, error, message):
    with pytest.raises(error, match=exactly(message)):
        numerical_gradients(notebook_network(), [2.0, 3.0], 5.0, eps=eps)


def test_eps_is_bounded_relative_to_the_parameters():
    net = Network([[[1e8, 0.0]]], None, output_activation="identity")
    # 1e-6 + 1e8 keeps only 2 of eps's digits: the difference would be mostly rounding.
    with pytest.raises(
        ValueError,
        match=exactly(
            "eps must be between 0.0001 and 1e+08 for this network's parameters "
            "(largest |θ| = 1e+08); got 1e-06"
        ),
    ):
        numerical_gradients(net, [1.0, 1.0], 1.0)
    grads = numerical_gradients(net, [1.0, 1.0], 1.0, eps=1e-3)
    # The loss is about 5e15, so each difference of two losses carries about 5e15 · 1e-16 of
    # rounding: relative to a gradient near 1e8, that is a few parts in 1e6.
    torch.testing.assert_close(
        grads.weights[0], manual_gradients(net, [1.0, 1.0], 1.0).weights[0], rtol=1e-5, atol=0
    )


@pytest.mark.parametrize(
    ("y", "Y", "kwargs", "error", "message"),
    [
        (
            [1.0, 2.0],
            [1.0, 2.0, 3.0],
            {},
            ValueError,
            "Y must have the same shape as y (2,); got (3,)",
        ),
        (
            [[1.0, 2.0]],
            [1.0, 2.0],
            {},
            ValueError,
            "Y must have the same shape as y (1, 2); got (2,)",
        ),
        (
            [1.0, 2.0],
            [[1.0], [2.0]],
            {},
            ValueError,
            "Y must have the same shape as y (2,); got (2, 1)",
        ),
        (
            [[1.0], [2.0], [3.0]],
            [[1.0, 2.0, 3.0]],
            {},
            ValueError,
            "Y must have the same shape as y (3, 1); got (1, 3)",
        ),
        ([math.nan], 1.0, {}, ValueError, "y must be finite; it contains NaN or inf"),
        ([], [], {}, ValueError, "y must not be empty; got shape (0,)"),
        ([[]], [[]], {}, ValueError, "y must not be empty; got shape (1, 0)"),
        (5.0, 5.0, {}, ValueError, "y must be 1-D or 2-D; got shape ()"),
        (
            [[1.0]],
            [[[1.0]]],
            {},
            ValueError,
            "Y must be 0-D or 1-D or 2-D; got shape (1, 1, 1)",
        ),
        ([1.0], "1", {}, TypeError, "Y must be numbers (a tensor or nested lists); got '1'"),
        ([1e200], 0.0, {}, ValueError, OVERFLOW_LOSS),
        ([1.0], 1.0, {"kind": "mse"}, ValueError, f"kind must be one of {LOSS_CHOICES}; got 'mse'"),
        (
            [1.0],
            1.0,
            {"kind": 2},
            TypeError,
            f"kind must be a string, one of {LOSS_CHOICES}; got 2",
        ),
        (
            [0.5, 0.5],
            [0.2, 0.9],
            {"kind": "cross_entropy"},
            ValueError,
            "Y must sum to 1 over the outputs for cross-entropy with a softmax output "
            "(one-hot or a distribution); a row sums to 1.1",
        ),
        (
            [0.5, 0.6],
            [0.0, 1.0],
            {"kind": "cross_entropy"},
            ValueError,
            "y must sum to 1 over the outputs for cross-entropy with a softmax output "
            "(one-hot or a distribution); a row sums to 1.1",
        ),
        (
            [0.5, 0.5],
            [-0.5, 1.5],
            {"kind": "cross_entropy"},
            ValueError,
            "Y must hold probabilities between 0 and 1 for cross-entropy; got -0.5",
        ),
        (
            [1.5],
            [1.0],
            {"kind": "cross_entropy"},
            ValueError,
            "y must hold probabilities between 0 and 1 for cross-entropy; got 1.5",
        ),
        (
            [0.0, 1.0],
            [1.0, 0.0],
            {"kind": "cross_entropy"},
            ValueError,
            "the cross-entropy is infinite: y gives probability 0 to an outcome Y expects; "
            "compute it from the logits z^(L) (explain, the gradient functions and train do)",
        ),
        (
            [1.0],
            [0.5],
            {"kind": "cross_entropy"},
            ValueError,
            "the cross-entropy is infinite: y gives probability 0 to an outcome Y expects; "
            "compute it from the logits z^(L) (explain, the gradient functions and train do)",
        ),
    ],
)
def test_bad_loss_arguments(y, Y, kwargs, error, message):
    with pytest.raises(error, match=exactly(message)):
        loss(y, Y, **kwargs)


def test_loss_accepts_one_label_per_sample_for_one_output():
    assert loss([4.0], 5.0) == 0.5
    assert loss([[4.0], [5.0]], [5.0, 5.0]) == 0.25
    # An output the target gives no weight costs nothing, even at probability 0.
    assert loss([0.0, 1.0], [0.0, 1.0], kind="cross_entropy") == 0.0


@pytest.mark.parametrize(
    ("parameter", "error", "message"),
    [
        ("w_45^(1)", ValueError, "parameter w_45^(1): j must be 1 … 3"),
        ("w_14^(2)", ValueError, "parameter w_14^(2): k must be 1 … 3"),
        ("b_1^(3)", ValueError, "parameter b_1^(3): layer must be 1 … 2"),
        ("b_1^(0)", ValueError, "parameter b_1^(0): layer must be 1 … 2"),
        (
            "w_1^(1)",
            ValueError,
            "parameter 'w_1^(1)': a weight needs two indices (w_jk), a bias one (b_j)",
        ),
        (
            "b_11^(1)",
            ValueError,
            "parameter 'b_11^(1)': a weight needs two indices (w_jk), a bias one (b_j)",
        ),
        (
            "weight",
            ValueError,
            "parameter must look like 'w_11^(1)' (weight) or 'b_1^(2)' (bias); got 'weight'",
        ),
        (11, TypeError, "parameter must be a string such as 'w_11^(1)'; got 11"),
        (Parameter("w", 1, 1, 3), ValueError, "parameter w_13^(1): k must be 1 … 2"),
    ],
)
def test_bad_parameters_to_explain(parameter, error, message):
    with pytest.raises(error, match=exactly(message)):
        explain(notebook_network(), [2.0, 3.0], 5.0, parameter)


def test_explain_takes_one_sample():
    with pytest.raises(ValueError, match=exactly("x must be one sample of shape (2,) to explain")):
        explain(notebook_network(), [[2.0, 3.0]], [5.0], "w_11^(1)")


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (
            ("2-3-1",),
            {},
            TypeError,
            "layer_sizes must be a list of whole numbers such as [2, 3, 1]; got '2-3-1'",
        ),
        (
            (3,),
            {},
            TypeError,
            "layer_sizes must be a list of whole numbers such as [2, 3, 1]; got 3",
        ),
        (
            ([2],),
            {},
            ValueError,
            "layer_sizes must name at least two layers (inputs and outputs); got [2]",
        ),
        (([2, 0, 1],), {}, ValueError, "layer_sizes must be at least 1 each; got 0"),
        (([2, 1.5],), {}, TypeError, "layer_sizes must hold whole numbers; got 1.5"),
        (([2, True],), {}, TypeError, "layer_sizes must hold whole numbers; got True"),
        (
            ([2, 1],),
            {"init": "kaiming"},
            ValueError,
            "init must be one of ['he', 'normal', 'xavier']; got 'kaiming'",
        ),
        (
            ([2, 1],),
            {"init": None},
            TypeError,
            "init must be a string, one of ['he', 'normal', 'xavier']; got None",
        ),
        (([2, 1],), {"seed": -1}, ValueError, "seed must be between 0 and 2**64 - 1; got -1"),
        (
            ([2, 1],),
            {"seed": 2**64},
            ValueError,
            "seed must be between 0 and 2**64 - 1; got 18446744073709551616",
        ),
        (([2, 1],), {"seed": "1"}, TypeError, "seed must be a whole number; got '1'"),
        (([2, 1],), {"seed": 1.0}, TypeError, "seed must be a whole number; got 1.0"),
        (
            ([2, 1],),
            {"scale": 0.1},
            ValueError,
            "scale is only for init='normal'; init='he' sets its own",
        ),
        (
            ([2, 1],),
            {"init": "normal", "scale": 0},
            ValueError,
            "scale must be a number > 0 and at most 1e100; got 0",
        ),
        (
            ([2, 1],),
            {"init": "normal", "scale": math.inf},
            ValueError,
            "scale must be a number > 0 and at most 1e100; got inf",
        ),
        (
            ([2, 1],),
            {"init": "normal", "scale": "0.1"},
            TypeError,
            "scale must be a number; got '0.1'",
        ),
        (
            ([2, 3, 1],),
            {"activation": "softmax"},
            ValueError,
            "activation='softmax' is only for the output layer: it is not elementwise "
            "(each output depends on every z^(L)); use output_activation='softmax'",
        ),
    ],
)
def test_bad_random_networks(args, kwargs, error, message):
    with pytest.raises(error, match=exactly(message)):
        random_network(*args, **kwargs)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("v", 1, 1, 1), ValueError, "kind must be 'w' (a weight) or 'b' (a bias); got 'v'"),
        (
            ("w", 1, 1),
            ValueError,
            "Parameter('w', …): a weight needs two indices (j, k), a bias one (j)",
        ),
        (
            ("b", 1, 1, 1),
            ValueError,
            "Parameter('b', …): a weight needs two indices (j, k), a bias one (j)",
        ),
        (("w", "1", 1, 1), TypeError, "layer must be a whole number; got '1'"),
        (("w", 1, 1.0, 1), TypeError, "j must be a whole number; got 1.0"),
        (("w", 1, 1, True), TypeError, "k must be a whole number; got True"),
    ],
)
def test_bad_parameter_objects(args, error, message):
    with pytest.raises(error, match=exactly(message)):
        Parameter(*args)


def test_parameter_methods_check_what_they_are_given():
    theta = Parameter.parse("w_13^(1)")
    with pytest.raises(TypeError, match=exactly("net must be a Network; got str")):
        theta.check("net")
    with pytest.raises(TypeError, match=exactly("grads must be Gradients; got list")):
        theta.gradient([torch.zeros(3, 2)])
    grads = manual_gradients(notebook_network(), [2.0, 3.0], 5.0)
    with pytest.raises(
        ValueError, match=exactly("parameter w_13^(1): k must be 1 … 2 in these gradients")
    ):
        theta.gradient(grads)
    assert Parameter.parse("w_32^(1)").gradient(grads) == 0.0
    assert Parameter.parse("w_12^(1)").gradient(grads) == -3.0


@pytest.mark.parametrize(
    ("layer", "error", "message"),
    [
        (0, ValueError, "layer must be 1 … 2 (layer 0 is the input); got 0"),
        (3, ValueError, "layer must be 1 … 2 (layer 0 is the input); got 3"),
        (1.0, TypeError, "layer must be a whole number 1 … 2; got 1.0"),
        (True, TypeError, "layer must be a whole number 1 … 2; got True"),
    ],
)
def test_activation_of_a_layer_that_is_not_there(layer, error, message):
    with pytest.raises(error, match=exactly(message)):
        notebook_network().activation_of(layer)


def test_check_target_takes_x_as_given():
    assert notebook_network().check_target([5.0], [[2.0, 3.0]]).tolist() == [[5.0]]
    with pytest.raises(
        TypeError, match=exactly("x must be numbers (a tensor or nested lists); got 'x'")
    ):
        notebook_network().check_target(5.0, "x")
