# %% [markdown]
# # The notebook, fixed
#
# The network computes $\hat y = \sigma(W_2 \tanh(W_1 x + b_1) + b_2)$ and we
# want $\partial L / \partial W_1$.

# %%
import backpropdoc

print("backpropdoc", backpropdoc.__version__)
