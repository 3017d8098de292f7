# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.16.0
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The notebook, fixed
#
# This is the original notebook's walkthrough done again, so that it runs correctly. It uses the
# same 2-3-1 network, the same sample and the same starting weights. The original had four problems,
# and each is fixed here:
#
# 1. its `relu` returned the Python integer `0`, which cut the autograd graph: here it is
#    `torch.relu`;
# 2. its loss was $(y - Y)^2$, without the $\frac12$ of its own derivation: here the ½ is back;
# 3. its update `w = w - a * w.grad` replaced each weight by a new, non-leaf tensor: here
#    the update happens in place, inside `torch.no_grad()`;
# 4. it never cleared the gradients, which `backward()` adds up: here they are set to `None`
#    after every update.
#
# The page *Backprop in PyTorch* explains each problem with a snippet that reproduces it.
#
# To run it yourself, install a CPU-only PyTorch first
# (`pip install torch --index-url https://download.pytorch.org/whl/cpu`), then backpropdoc: from
# this site's package index (Home, *Install*, gives the command), from PyPI once it is released
# there, or with `pip install -e .` in a checkout; the downloaded notebook's first cell does it.

# %% [markdown]
# ## The network
#
# Two inputs $x_1, x_2$, three hidden neurons and one output neuron, ReLU everywhere. Hidden
# neuron $j$ (for $j = 1, 2, 3$) computes
#
# $$
# z_j^{(1)} = w_{j1}^{(1)} x_1 + w_{j2}^{(1)} x_2 + b_j^{(1)}, \qquad
# a_j^{(1)} = \operatorname{relu}(z_j^{(1)}),
# $$
#
# and the output neuron computes the prediction $y$:
#
# $$
# z_1^{(2)} = w_{11}^{(2)} a_1^{(1)} + w_{12}^{(2)} a_2^{(1)} + w_{13}^{(2)} a_3^{(1)}
#     + b_1^{(2)}, \qquad
# y = a_1^{(2)} = \operatorname{relu}(z_1^{(2)}).
# $$
#
# The loss for one sample with label $Y$ is $l = \frac12 (y - Y)^2$.

# %% [markdown]
# ## The sample and the parameters
#
# The sample $x$ and its label $Y$ are those of the original notebook. Every parameter is a
# **leaf** tensor: we create
# it ourselves, with `requires_grad=True`, so that `backward()` stores its gradient in `.grad`.
# We use float64 throughout, like the `backpropdoc` package. As in the original, `w1`, `w2`, `w3`
# are the output neuron's weights $w_{11}^{(2)}, w_{12}^{(2)}, w_{13}^{(2)}$; unlike the original,
# the biases are parameters too and get updated.

# %%
import torch

import backpropdoc

x1 = torch.tensor(2.0, dtype=torch.float64)  # first feature
x2 = torch.tensor(3.0, dtype=torch.float64)  # second feature
Y = torch.tensor(5.0, dtype=torch.float64)  # label


def leaf(value):
    """A parameter: a leaf tensor whose gradient backward() will store."""
    return torch.tensor(value, dtype=torch.float64, requires_grad=True)


# hidden layer: w_jk^(1) is the weight into neuron j from input k
w11, w12, b1 = leaf(1.0), leaf(0.0), leaf(0.0)
w21, w22, b2 = leaf(1.0), leaf(0.0), leaf(0.0)
w31, w32, b3 = leaf(0.0), leaf(0.0), leaf(0.0)
# output neuron: w1, w2, w3 are w_11^(2), w_12^(2), w_13^(2);
# b_out is b_1^(2)
w1, w2, w3, b_out = leaf(1.0), leaf(1.0), leaf(0.0), leaf(0.0)

names = [
    "w11",
    "w12",
    "b1",
    "w21",
    "w22",
    "b2",
    "w31",
    "w32",
    "b3",
    "w1",
    "w2",
    "w3",
    "b_out",
]
params = [w11, w12, b1, w21, w22, b2, w31, w32, b3, w1, w2, w3, b_out]
initial = [p.detach().clone() for p in params]  # to start again later
print(all(p.is_leaf and p.requires_grad for p in params))

# %% [markdown]
# ## Forward pass
#
# Three things differ from the original notebook's forward pass: `torch.relu`, which returns a
# tensor that stays in the graph even where its value is zero, so every weight takes part in the
# backward pass; the biases, added to each weighted sum; and the ½ of the loss, which the
# original's derivation has and its code left out.


# %%
def forward():
    """The network on (x1, x2): its hidden activations, y and the loss."""
    a1 = torch.relu(w11 * x1 + w12 * x2 + b1)
    a2 = torch.relu(w21 * x1 + w22 * x2 + b2)
    a3 = torch.relu(w31 * x1 + w32 * x2 + b3)
    y = torch.relu(w1 * a1 + w2 * a2 + w3 * a3 + b_out)
    loss = 0.5 * (y - Y) ** 2  # l = 1/2 (y - Y)^2, with the 1/2
    return (a1, a2, a3), y, loss


(a1, a2, a3), y, loss = forward()
print("a^(1) =", [a1.item(), a2.item(), a3.item()])
print("y =", y.item())
print("l =", loss.item())
print("a3 is still in the graph:", a3.grad_fn is not None)

# %% [markdown]
# ## Backward pass
#
# The chain rule for the first weight, in the original notebook's notation, now with the ReLU slopes
# written out:
#
# $$
# \frac{\partial l}{\partial w_{11}^{(1)}}
#   = \frac{\mathrm{d}l}{\mathrm{d}y}
#     \frac{\partial y}{\partial z_1^{(2)}}
#     \frac{\partial z_1^{(2)}}{\partial a_1^{(1)}}
#     \frac{\partial a_1^{(1)}}{\partial z_1^{(1)}}
#     \frac{\partial z_1^{(1)}}{\partial w_{11}^{(1)}}
#   = (y - Y) \cdot \operatorname{relu}'(z_1^{(2)}) \cdot w_{11}^{(2)}
#     \cdot \operatorname{relu}'(z_1^{(1)}) \cdot x_1 .
# $$
#
# $\operatorname{relu}'(z)$ is one where $z > 0$ and zero elsewhere (PyTorch takes zero at
# $z = 0$). It is not one everywhere, as the original notebook wrote. One call of `loss.backward()`
# computes all these products at once and stores each in the parameter's `.grad`. Every gradient is
# a number now; none is `None`.

# %%
loss.backward()
for name, p in zip(names, params, strict=True):
    print(f"dl/d{name} = {p.grad.item() + 0.0}")  # + 0.0 prints -0.0 as 0.0
print("any None:", any(p.grad is None for p in params))

# %% [markdown]
# The first one checks the formula above: the product of its five factors, with both ReLU
# slopes one here because both weighted sums on the path are positive, is the same number.

# %%
print((y.item() - Y.item()) * 1 * w1.item() * 1 * x1.item())

# %% [markdown]
# ## One step of gradient descent
#
# The update rule is $w_{\text{new}} = w_{\text{old}} - \eta \, \frac{\partial l}{\partial w}$.
# Two things matter in code:
#
# * update **in place** (`p -= lr * p.grad`) inside `torch.no_grad()`: the name keeps pointing
#   at the same leaf tensor, and autograd does not record the update itself;
# * then clear the gradient (`p.grad = None`), because the next `backward()` would add to it.
#
# With the original notebook's learning rate:

# %%
lr = 0.5
with torch.no_grad():
    for p in params:
        p -= lr * p.grad
for p in params:
    p.grad = None

print(
    "W^(1) =",
    [
        [w11.item(), w12.item()],
        [w21.item(), w22.item()],
        [w31.item(), w32.item()],
    ],
)
print("W^(2) =", [[w1.item(), w2.item(), w3.item()]])
print("still leaves:", all(p.is_leaf for p in params))
print("gradients cleared:", all(p.grad is None for p in params))

# %% [markdown]
# The step is correct, but this learning rate is far too large for this network. The loss after
# it is much larger than the loss before:

# %%
print(f"l after one step with lr = {lr}:", forward()[2].item())

# %% [markdown]
# ## Training with a learning rate that converges
#
# Start again from the original weights (copied back in place, so the names stay the same
# tensors) and take ten steps with a smaller learning rate. The loop body is the four steps above:
# forward, backward, update in place, clear the gradients.

# %%
with torch.no_grad():
    for p, value in zip(params, initial, strict=True):
        p.copy_(value)

lr = 0.02
losses = []
for _ in range(10):
    loss = forward()[2]
    losses.append(loss.item())
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
    for p in params:
        p.grad = None
losses.append(forward()[2].item())
trained = [p.detach().clone() for p in params]
print([round(value, 6) for value in losses])
print("y after training:", round(forward()[1].item(), 6))

# %% [markdown]
# ## Checking against the hand-derived gradients
#
# The `backpropdoc` package computes the same gradients without autograd:
# `manual_gradients` applies the chain rule by hand, in matrix form, where row $j$, column $k$
# of $W^{(1)}$ is $w_{jk}^{(1)}$. To compare, we list its matrices' entries in the order of our
# `params`.


# %%
def in_param_order(W1, b1, W2, b2):
    """The entries of W^(1), b^(1), W^(2), b^(2) in the order of `names`."""
    hidden = [t for j in range(3) for t in (W1[j, 0], W1[j, 1], b1[j])]
    return torch.stack([*hidden, W2[0, 0], W2[0, 1], W2[0, 2], b2[0]])


# %% [markdown]
# First the gradients at the original weights: autograd against `manual_gradients`.

# %%
with torch.no_grad():
    for p, value in zip(params, initial, strict=True):
        p.copy_(value)
forward()[2].backward()
autograd = torch.stack([p.grad for p in params])
for p in params:
    p.grad = None

grads = backpropdoc.manual_gradients(
    backpropdoc.notebook_network(), [2.0, 3.0], 5.0
)
by_hand = in_param_order(
    grads.weights[0], grads.biases[0], grads.weights[1], grads.biases[1]
)
difference = (autograd - by_hand).abs().max().item()
print("max difference between autograd and manual_gradients:", difference)
print("gradients agree:", difference == 0.0)

# %% [markdown]
# Then the training: `backpropdoc.train` takes the same ten steps with the same learning rate, using
# the hand-derived gradients. Its losses and final weights match our loop's.

# %%
result = backpropdoc.train(
    backpropdoc.notebook_network(), [2.0, 3.0], 5.0, lr=lr, steps=10
)
net = result.network
package = in_param_order(
    net.weights[0], net.biases[0], net.weights[1], net.biases[1]
)
ours = torch.stack(trained)
print(
    "same losses:",
    all(
        abs(a - b) < 1e-12
        for a, b in zip(losses, result.losses, strict=True)
    ),
)
print("max weight difference:", (ours - package).abs().max().item())
print("same weights:", torch.allclose(ours, package, rtol=0, atol=1e-12))
