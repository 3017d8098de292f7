# %% [markdown]
# # 修正后的笔记本
#
# 网络计算 $\hat y = \sigma(W_2 \tanh(W_1 x + b_1) + b_2)$，我们想求
# $\partial L / \partial W_1$。

# %%
import backpropdoc

print("backpropdoc", backpropdoc.__version__)
