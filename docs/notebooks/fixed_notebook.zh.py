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
# # 修正后的笔记本
#
# 这里把原笔记本的整个流程重新走一遍，让它能正确运行。用的还是同一个 2-3-1 网络、同一个样本和同一组初始权重。原笔记本有四个问题，这里逐一改正：
#
# 1. 它的 `relu` 返回 Python 整数 `0`，切断了自动微分的计算图：这里改用 `torch.relu`；
# 2. 它的损失是 $(y - Y)^2$，漏掉了它自己推导中的 $\frac12$：这里把 ½ 加了回来；
# 3. 它的更新 `w = w - a * w.grad` 把每个权重都换成了一个新的非叶子张量：这里改为在 `torch.no_grad()` 中原地更新；
# 4. 它从不清空梯度，而 `backward()` 会把梯度累加起来：这里每次更新之后都把梯度设为 `None`。
#
# 「PyTorch 中的反向传播」一页对每个问题都给出了能重现它的代码片段，并逐一解释。
#
# 想自己运行：先装仅 CPU 版的 PyTorch（`pip install torch --index-url https://download.pytorch.org/whl/cpu`），再安装 backpropdoc：可以用本站自带的包索引（首页「安装」一节给出完整命令），正式发布到 PyPI 之后也可以从 PyPI 安装，或者在检出的代码仓库里运行 `pip install -e .`；下载的笔记本的第一个单元格会替你完成这些。

# %% [markdown]
# ## 1. 网络
#
# 两个输入 $x_1, x_2$，三个隐藏神经元，一个输出神经元，处处使用 ReLU 激活函数。隐藏神经元 $j$（$j = 1, 2, 3$）计算
#
# $$
# z_j^{(1)} = w_{j1}^{(1)} x_1 + w_{j2}^{(1)} x_2 + b_j^{(1)}, \qquad
# a_j^{(1)} = \operatorname{relu}(z_j^{(1)}),
# $$
#
# 输出神经元计算预测值 $y$：
#
# $$
# z_1^{(2)} = w_{11}^{(2)} a_1^{(1)} + w_{12}^{(2)} a_2^{(1)} + w_{13}^{(2)} a_3^{(1)}
#     + b_1^{(2)}, \qquad
# y = a_1^{(2)} = \operatorname{relu}(z_1^{(2)}).
# $$
#
# $z_j^{(l)}$ 是加权和，即还没经过激活函数的值，原笔记本叫它“原值”；$b_j^{(l)}$ 是偏置，原笔记本写作“偏执”，这是“偏置”的同音笔误。
#
# 对于标签值为 $Y$ 的一个样本，损失函数为 $l = \frac12 (y - Y)^2$。

# %% [markdown]
# ## 2. 样本和参数
#
# 样本 $x$ 和标签值 $Y$ 都与原笔记本相同。每个参数都是**叶子张量**：由我们自己创建，并设置 `requires_grad=True`，这样 `backward()` 才会把它的梯度保存到 `.grad` 中。和 `backpropdoc` 包一样，我们全程使用 float64。和原笔记本一样，`w1`、`w2`、`w3` 是输出神经元的权重 $w_{11}^{(2)}, w_{12}^{(2)}, w_{13}^{(2)}$；和原笔记本不同的是，偏置也是参数，同样会更新。

# %%
import torch

import backpropdoc

x1 = torch.tensor(2.0, dtype=torch.float64)  # 样本的第一个特征值
x2 = torch.tensor(3.0, dtype=torch.float64)  # 样本的第二个特征值
Y = torch.tensor(5.0, dtype=torch.float64)  # 样本的标签值


def leaf(value):
    """一个参数：backward() 会把梯度保存到它的 .grad 中的叶子张量。"""
    return torch.tensor(value, dtype=torch.float64, requires_grad=True)


# 隐藏层：w_jk^(1) 是从输入 k 进入神经元 j 的权重
w11, w12, b1 = leaf(1.0), leaf(0.0), leaf(0.0)
w21, w22, b2 = leaf(1.0), leaf(0.0), leaf(0.0)
w31, w32, b3 = leaf(0.0), leaf(0.0), leaf(0.0)
# 输出神经元：w1、w2、w3 是 w_11^(2)、w_12^(2)、w_13^(2)；b_out 是 b_1^(2)
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
initial = [p.detach().clone() for p in params]  # 留着以后从头再来
print(all(p.is_leaf and p.requires_grad for p in params))

# %% [markdown]
# ## 3. 前向传播
#
# 与原笔记本的前向传播相比，有三处不同：换成了 `torch.relu`，即使值为零，它返回的张量也仍然留在计算图中，因此每个权重都会参与反向传播；每个加权和都加上了偏置；损失里补上了 ½，原笔记本的推导中有它，代码里却漏掉了。


# %%
def forward():
    """在 (x1, x2) 上运行网络，返回隐藏层激活值、y 和损失。"""
    a1 = torch.relu(w11 * x1 + w12 * x2 + b1)
    a2 = torch.relu(w21 * x1 + w22 * x2 + b2)
    a3 = torch.relu(w31 * x1 + w32 * x2 + b3)
    y = torch.relu(w1 * a1 + w2 * a2 + w3 * a3 + b_out)
    loss = 0.5 * (y - Y) ** 2  # l = 1/2 (y - Y)^2，带上 1/2
    return (a1, a2, a3), y, loss


(a1, a2, a3), y, loss = forward()
print("a^(1) =", [a1.item(), a2.item(), a3.item()])
print("y =", y.item())
print("l =", loss.item())
print("a3 仍在计算图中：", a3.grad_fn is not None)

# %% [markdown]
# ## 4. 反向传播
#
# 用原笔记本的记号写出第一个权重的链式法则，这次把 ReLU 的斜率也明确写出来：
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
# $\operatorname{relu}'(z)$ 在 $z > 0$ 时为一，其余情况为零（在 $z = 0$ 处 PyTorch 取零）。它并不像原笔记本写的那样处处为一。只需调用一次 `loss.backward()`，就能算出所有这些乘积，并分别保存到各个参数的 `.grad` 中。现在每个梯度都是一个数，没有一个是 `None`。

# %%
loss.backward()
for name, p in zip(names, params, strict=True):
    print(f"dl/d{name} = {p.grad.item() + 0.0}")  # + 0.0 让 -0.0 打印成 0.0
print("有没有 None：", any(p.grad is None for p in params))

# %% [markdown]
# 第一个梯度正好可以验证上面的公式：这里路径上的两个加权和都为正，所以两个 ReLU 的斜率都是一，五个因子相乘，得到的正是同一个数。

# %%
print((y.item() - Y.item()) * 1 * w1.item() * 1 * x1.item())

# %% [markdown]
# ## 5. 梯度下降的一步
#
# 原笔记本把更新规则写成 $w_{\text{新}} = w_{\text{旧}} - \eta \, \frac{\partial l}{\partial w}$。用代码实现它时，有两点很关键：
#
# * **原地更新**（`p -= lr * p.grad`），并放在 `torch.no_grad()` 中执行：变量名始终指向同一个叶子张量，自动微分也不会记录这次更新本身；
# * 然后清空梯度（`p.grad = None`），因为下一次 `backward()` 会在它上面继续累加。
#
# 使用原笔记本的学习率：

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
print("仍是叶子张量：", all(p.is_leaf for p in params))
print("梯度已清空：", all(p.grad is None for p in params))

# %% [markdown]
# 这一步的计算是对的，但对这个网络来说，这个学习率实在太大了。更新之后的损失比更新之前大得多：

# %%
print(f"以 lr = {lr} 走一步之后的 l：", forward()[2].item())

# %% [markdown]
# ## 6. 用能收敛的学习率来训练
#
# 从原笔记本的权重重新开始（原地复制回去，让变量名仍然指向原来的张量），换一个较小的学习率走十步。循环体就是上面那四步：前向传播、反向传播、原地更新、清空梯度。

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
print("训练之后的 y：", round(forward()[1].item(), 6))

# %% [markdown]
# ## 7. 与手工推导的梯度核对
#
# `backpropdoc` 包不借助自动微分也能算出同样的梯度：`manual_gradients` 以矩阵形式手工应用链式法则，其中 $W^{(1)}$ 的第 $j$ 行第 $k$ 列就是 $w_{jk}^{(1)}$。为了便于比较，我们按照 `params` 的顺序列出它的各个矩阵元素。


# %%
def in_param_order(W1, b1, W2, b2):
    """按 `names` 的顺序列出 W^(1)、b^(1)、W^(2)、b^(2) 的各个元素。"""
    hidden = [t for j in range(3) for t in (W1[j, 0], W1[j, 1], b1[j])]
    return torch.stack([*hidden, W2[0, 0], W2[0, 1], W2[0, 2], b2[0]])


# %% [markdown]
# 先在原笔记本的初始权重处比较梯度：自动微分对 `manual_gradients`。

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
print("自动微分与 manual_gradients 的最大差值：", difference)
print("梯度一致：", difference == 0.0)

# %% [markdown]
# 再比较训练过程：`backpropdoc.train` 用手工推导的梯度，以同样的学习率走十步。它的损失和最终权重都与我们的循环一致。

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
    "损失相同：",
    all(
        abs(a - b) < 1e-12
        for a, b in zip(losses, result.losses, strict=True)
    ),
)
print("权重的最大差值：", (ours - package).abs().max().item())
print("权重相同：", torch.allclose(ours, package, rtol=0, atol=1e-12))
