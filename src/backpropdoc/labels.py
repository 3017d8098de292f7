"""The words the command line prints, in English and Chinese: output, help and errors."""

from __future__ import annotations

import os

LANGUAGES = ("en", "zh")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # output
        "title": "Backpropagation on the {sizes} network",
        "inputs": "input x = {x}, target Y = {Y}",
        "forward": "Forward pass",
        "output": "y = {y}   loss l = {loss}",
        "loss": "loss",
        "gradients": "Gradients: by hand, by autograd, by finite differences",
        "parameter": "parameter",
        "manual": "by hand",
        "autograd": "autograd",
        "numerical": "finite diff.",
        "chain": "Chain rule for {parameter}",
        "step": "One gradient-descent step with lr = {lr}",
        "update": "{name}: old {old} -> new {new}",
        "loss_after": "loss after the step: {loss}",
        "train": "Training: {steps} steps with lr = {lr}",
        "train_line": "step {step}: loss = {loss}",
        "progress": "training",
        "interrupted": (
            "{prog}: interrupted after step {step} of {steps}; the losses so far are printed"
        ),
        "interrupted_plain": "{prog}: interrupted",
        # help
        "description": (
            "Backpropagation on the original notebook's 2-3-1 network (two inputs, three ReLU\n"
            "hidden neurons, one ReLU output, loss l = 1/2 (y - Y)^2), computed step by step.\n"
            "Without a command it runs 'example'."
        ),
        "epilog": (
            "examples:\n"
            "  backpropdoc                                the worked example: x = (2, 3), Y = 5\n"
            "  backpropdoc explain --param w_12^(1)       the chain rule for another weight\n"
            "  backpropdoc train --lr 0.02 --steps 20     the loss after every step\n"
            "  backpropdoc --lang zh example              中文输出\n"
            "\n"
            "exit codes:\n"
            "  0    success\n"
            "  2    bad usage or input (the message names the option)\n"
            "  130  interrupted (Ctrl-C); 'train' first prints the losses so far\n"
            "  141  the reader of the output closed it early (as in: backpropdoc train | head)"
        ),
        "commands_title": "commands",
        "help_help": "show this help and exit",
        "help_version": "show the version and exit",
        "help_lang": (
            "language of the output and help: en or zh (default: from the locale, else en)"
        ),
        "help_example": "forward pass, gradients three ways, the chain rule and one update",
        "help_train": "gradient descent: the loss after every step",
        "help_explain": "the chain rule for one parameter, factor by factor",
        "help_x": "the two input features x_1, x_2 (default: 2 3)",
        "help_Y": "the target (label) Y (default: 5)",
        "help_lr": "the learning rate, a number > 0 (default: 0.5, the original notebook's)",
        "help_steps": "how many gradient-descent steps to run (default: 5)",
        "help_param": (
            "which parameter's chain rule to show: w_jk^(l) or b_j^(l), "
            "e.g. w_11^(1), w_13^(2), b_1^(2) (default: w_11^(1))"
        ),
        # errors: argparse writes "argument --x: " before the ones about one option
        "not_number": "must be a number; got {text!r}",
        "not_finite": "must be a finite number; got {text!r}",
        "not_positive": "must be greater than 0; got {text!r}",
        "not_whole": "must be a whole number; got {text!r}",
        "too_few_steps": "must be at least 1; got {text!r}",
        "bad_parameter": (
            "{text!r} is not a parameter: write w_jk^(l) for a weight or b_j^(l) for a bias, "
            "e.g. w_11^(1) or b_1^(2)"
        ),
        "no_parameter": "the {sizes} network has no {parameter}: {index} must be 1 … {top}",
        "overflow_inputs": (
            "argument {options}: the numbers overflow float64 with x = {x} and Y = {Y}; "
            "use smaller values"
        ),
        "overflow_step": (
            "argument --lr: the update with lr = {lr} overflows float64 for x = {x} and Y = {Y}; "
            "use a smaller --lr (or smaller --x, --Y)"
        ),
        "diverged": (
            "argument --lr: gradient descent diverges in step {step} of {steps} with lr = {lr} "
            "(the numbers overflow float64); use a smaller --lr"
        ),
    },
    "zh": {
        "title": "{sizes} 网络上的反向传播",
        "inputs": "输入 x = {x}，标签值 Y = {Y}",
        "forward": "前向传播",
        "output": "y = {y}   损失 l = {loss}",
        "loss": "损失",
        "gradients": "梯度：手工推导、自动求导、有限差分",
        "parameter": "参数",
        "manual": "手工推导",
        "autograd": "自动求导",
        "numerical": "有限差分",
        "chain": "{parameter} 的链式法则",
        "step": "学习率 lr = {lr} 的一步梯度下降",
        "update": "{name}：旧值 {old} → 新值 {new}",
        "loss_after": "更新后的损失：{loss}",
        "train": "训练：{steps} 步，学习率 lr = {lr}",
        "train_line": "第 {step} 步：损失 = {loss}",
        "progress": "训练中",
        "interrupted": "{prog}：在第 {step} 步（共 {steps} 步）后被中断；已打印到目前为止的损失",
        "interrupted_plain": "{prog}：已中断",
        "description": (
            "在原笔记本的 2-3-1 网络（两个输入，三个修正线性单元（ReLU）隐藏神经元，\n"
            "一个 ReLU 输出，损失 l = 1/2 (y - Y)^2）上逐步计算反向传播。\n"
            "不给命令时运行 example。"
        ),
        "epilog": (
            "示例：\n"
            "  backpropdoc                                完整示例：x = (2, 3)，Y = 5\n"
            "  backpropdoc explain --param w_12^(1)       另一个权重的链式法则\n"
            "  backpropdoc train --lr 0.02 --steps 20     每一步之后的损失\n"
            "  backpropdoc --lang en example              English output\n"
            "\n"
            "退出码：\n"
            "  0    成功\n"
            "  2    用法或输入有误（错误信息会指出是哪个选项）\n"
            "  130  被中断（Ctrl-C）；train 会先打印到目前为止的损失\n"
            "  141  读取输出的一方提前关闭了输出（例如 backpropdoc train | head）"
        ),
        "commands_title": "命令",
        "help_help": "显示本帮助并退出",
        "help_version": "显示版本号并退出",
        "help_lang": "输出和帮助的语言：en 或 zh（默认按系统区域设置，否则为 en）",
        "help_example": "前向传播、三种方法算出的梯度、链式法则和一次更新",
        "help_train": "梯度下降：每一步之后的损失",
        "help_explain": "逐个因子地写出一个参数的链式法则",
        "help_x": "两个输入特征 x_1、x_2（默认：2 3）",
        "help_Y": "标签值 Y（默认：5）",
        "help_lr": "学习率，大于 0 的数（默认：0.5，即原笔记本的取值）",
        "help_steps": "梯度下降的步数（默认：5）",
        "help_param": (
            "显示哪个参数的链式法则：w_jk^(l) 或 b_j^(l)，例如 w_11^(1)、w_13^(2)、b_1^(2)"
            "（默认：w_11^(1)）"
        ),
        "not_number": "必须是数字；收到的是 {text!r}",
        "not_finite": "必须是有限的数；收到的是 {text!r}",
        "not_positive": "必须大于 0；收到的是 {text!r}",
        "not_whole": "必须是整数；收到的是 {text!r}",
        "too_few_steps": "至少为 1；收到的是 {text!r}",
        "bad_parameter": (
            "{text!r} 不是参数名：权重写作 w_jk^(l)，偏置写作 b_j^(l)，例如 w_11^(1) 或 b_1^(2)"
        ),
        "no_parameter": "{sizes} 网络没有 {parameter}：{index} 必须在 1 … {top} 之间",
        "overflow_inputs": (
            "选项 {options}：x = {x}、Y = {Y} 时数值超出 float64 的范围；请改用更小的值"
        ),
        "overflow_step": (
            "选项 --lr：x = {x}、Y = {Y} 时，学习率 lr = {lr} 的更新超出 float64 的范围；"
            "请改用更小的 --lr（或更小的 --x、--Y）"
        ),
        "diverged": (
            "选项 --lr：学习率 lr = {lr} 时梯度下降在第 {step} 步（共 {steps} 步）发散，"
            "数值超出 float64 的范围；请改用更小的 --lr"
        ),
    },
}

#: argparse's own messages (its gettext msgids, Python 3.10–3.13) in Chinese; the CLI swaps
#: them in while it builds its parser and parses, since argparse ships no translations.
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "argument %(argument_name)s: %(message)s": "选项 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少以下参数：%s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选择：%(value)r（可选：%(choices)s）"
    ),
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 有歧义，可能是 %(matches)s"
    ),
    "ignored explicit argument %r": "多余的值 %r",
    "not allowed with argument %s": "不能与 %s 同时使用",
}


def default_language() -> str:
    """``zh`` when the locale (LC_ALL, LC_MESSAGES or LANG) is Chinese, else ``en``."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
