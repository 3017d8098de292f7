"""The words the command line prints, in English and Chinese."""

from __future__ import annotations

import os

LANGUAGES = ("en", "zh")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Backpropagation on the {sizes} network",
        "input": "input",
        "target": "target",
        "forward": "Forward pass",
        "loss": "loss",
        "gradients": "Gradients: by hand, by autograd, by finite differences",
        "parameter": "parameter",
        "manual": "by hand",
        "autograd": "autograd",
        "numerical": "finite diff.",
        "chain": "Chain rule for {parameter}",
        "step": "One gradient-descent step with lr = {lr}",
        "new_weights": "new",
        "old_weights": "old",
        "loss_after": "loss after the step",
        "train": "Training: {steps} steps with lr = {lr}",
        "step_label": "step",
    },
    "zh": {
        "title": "{sizes} 网络上的反向传播",
        "input": "输入",
        "target": "标签值",
        "forward": "前向传播",
        "loss": "损失",
        "gradients": "梯度：手工推导、自动求导、有限差分",
        "parameter": "参数",
        "manual": "手工推导",
        "autograd": "自动求导",
        "numerical": "有限差分",
        "chain": "{parameter} 的链式法则",
        "step": "学习率 lr = {lr} 的一步梯度下降",
        "new_weights": "新值",
        "old_weights": "旧值",
        "loss_after": "更新后的损失",
        "train": "训练：{steps} 步，学习率 lr = {lr}",
        "step_label": "步",
    },
}


def default_language() -> str:
    """``zh`` when the locale (LC_ALL, LC_MESSAGES or LANG) is Chinese, else ``en``."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
