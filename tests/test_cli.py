"""``backpropdoc``: subcommands, --version, exit codes, Chinese, bad input, progress and Ctrl-C."""

from __future__ import annotations

import importlib.metadata
import io
import os
import pty
import re
import select
import signal
import subprocess
import sys
import threading
import time

import pytest

import backpropdoc
from backpropdoc import cli
from backpropdoc.cli import Progress, display_width, main
from backpropdoc.network import notebook_network
from backpropdoc.training import train

CJK = re.compile(r"[\u4e00-\u9fff]")


def run(argv, capsys):
    """main(argv) → (exit code, stdout, stderr); exit 2 comes from SystemExit."""
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps the help to the terminal's width


def test_worked_example(capsys):
    code, out, err = run([], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:7] == [
        "Backpropagation on the 2-3-1 network",
        "input x = (2, 3), target Y = 5",
        "",
        "Forward pass",
        "  z^(1) = (2, 2, 0)   a^(1) = (2, 2, 0)",
        "  z^(2) = (4)   a^(2) = (4)",
        "  y = (4)   loss l = 0.5",
    ]
    assert "  w_12^(1)      -3            -3            -3" in lines
    assert (
        "  ∂l/∂w_11^(1) = (y - Y) · relu'(z_1^(2)) · w_11^(2) · relu'(z_1^(1)) · x_1 = "
        + ("(-1)(1)(1)(1)(2) = -2")
        in lines
    )
    assert "  W^(1): old [[1, 0], [1, 0], [0, 0]] -> new [[2, 1.5], [2, 1.5], [0, 0]]" in lines
    assert lines[-1] == "  loss after the step: 496.125"
    # "example" is the default command, with or without options before it
    assert run(["example"], capsys)[1] == out
    assert run(["--lang", "en"], capsys)[1] == out


def test_options_without_a_command_go_to_example(capsys):
    code, out, _ = run(["--x", "1", "1", "--Y", "3", "--lr", "0.1", "--param", "b_1^(2)"], capsys)
    assert code == 0
    assert "input x = (1, 1), target Y = 3" in out
    assert "  ∂l/∂b_1^(2) = (y - Y) · relu'(z_1^(2)) · 1 = (-1)(1)(1) = -1" in out.splitlines()


def test_negative_numbers_are_values_not_options(capsys):
    code, out, _ = run(
        ["explain", "--x", "-1e-3", "2", "--Y", "-1.5e2", "--param", "b_1^(2)"], capsys
    )
    assert code == 0
    assert "input x = (-0.001, 2), target Y = -150" in out


def test_explain_prints_the_chain(capsys):
    code, out, err = run(["explain", "--param", "w_12^(1)"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Backpropagation on the 2-3-1 network",
        "input x = (2, 3), target Y = 5",
        "",
        "Chain rule for w_12^(1)",
        "  ∂l/∂w_12^(1) = (y - Y) · relu'(z_1^(2)) · w_11^(2) · relu'(z_1^(1)) · x_2"
        " = (-1)(1)(1)(1)(3) = -3",
    ]


def test_train_prints_the_loss_per_step(capsys):
    code, out, err = run(["train", "--lr", "0.5", "--steps", "2"], capsys)
    assert (code, err) == (0, "")  # stderr is not a terminal here: no progress bar
    assert out.splitlines()[3:] == [
        "Training: 2 steps with lr = 0.5",
        "  step 0: loss = 0.5",
        "  step 1: loss = 496.125",
        "  step 2: loss = 12.5",
    ]
    steps = run(["train", "--steps", "10"], capsys)[1].splitlines()
    assert steps[4] == "  step  0: loss = 0.5"  # numbers right-aligned to the widest
    assert steps[-1] == "  step 10: loss = 12.5"


def test_chinese_output(capsys):
    code, out, _ = run(["--lang", "zh", "train", "--steps", "2"], capsys)
    assert code == 0
    assert out.splitlines() == [
        "2-3-1 网络上的反向传播",
        "输入 x = (2, 3)，标签值 Y = 5",
        "",
        "训练：2 步，学习率 lr = 0.5",
        "  第 0 步：损失 = 0.5",
        "  第 1 步：损失 = 496.125",
        "  第 2 步：损失 = 12.5",
    ]
    out = run(["example", "--lang", "zh"], capsys)[1]  # --lang after the command too
    assert "  W^(1)：旧值 [[1, 0], [1, 0], [0, 0]] → 新值 [[2, 1.5], [2, 1.5], [0, 0]]" in out
    assert out.splitlines()[-1] == "  更新后的损失：496.125"


def test_chinese_table_columns_line_up_by_display_width(capsys):
    lines = run(["--lang", "zh"], capsys)[1].splitlines()
    header = lines.index("梯度：手工推导、自动求导、有限差分") + 1
    table = lines[header : header + 14]
    assert table[0].split() == ["参数", "手工推导", "自动求导", "有限差分"]

    def starts(line):  # the display column where each cell begins
        return [display_width(line[: m.start()]) for m in re.finditer(r"(?<!\S)\S", line)]

    assert starts(table[0]) == [2, 16, 30, 44]
    assert all(starts(row) == [2, 16, 30, 44] for row in table[1:])


def test_wrapping_keeps_chinese_punctuation_with_its_characters():
    assert cli._wrap("学习率，大于 0 的数（默认：0.5）", 6) == [
        "学习率，",
        "大于 0",
        "的数",
        "（默认：",
        "0.5）",
    ]
    assert cli._wrap("the learning rate, a number", 12) == ["the learning", "rate, a", "number"]


def test_display_width_counts_a_cjk_character_as_two_columns():
    assert display_width("w_11^(1)") == 8
    assert display_width("参数") == 4
    assert display_width("损失：0.5") == 9


@pytest.mark.parametrize(
    ("argv", "env"),
    [(["--lang", "zh", "--help"], {}), (["--help"], {"LANG": "zh_CN.UTF-8"})],
    ids=["option", "locale"],
)
def test_chinese_help(argv, env):
    result = subprocess.run(
        [sys.executable, "-m", "backpropdoc", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8", **env},
    )
    assert (result.returncode, result.stderr) == (0, "")
    help_text = result.stdout
    assert help_text.startswith("用法：backpropdoc [-h] [--lang {en,zh}] [--version]")
    for line in ("选项：", "命令：", "退出码：", "  -h, --help            显示本帮助并退出"):
        assert line in help_text.splitlines()
    assert "  130  被中断（Ctrl-C）；train 会先打印到目前为止的损失" in help_text
    assert not re.search(r"[\u4e00-\u9fff][:,;()]", help_text)  # Chinese punctuation


def test_chinese_help_of_a_command_wraps_by_display_width(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run(["--lang", "zh", "train", "--help"], capsys)
    assert code == 0
    lines = out.splitlines()
    i = lines.index("  --lr LR         学习率，大于 0 的数（默认：0.5，即原笔记")
    assert lines[i + 1] == "                  本的取值）"
    assert max(display_width(line) for line in out.splitlines()) <= 60
    assert "--param" not in out  # train has no --param


def test_english_help_documents_the_commands_and_exit_codes(capsys):
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    lines = out.splitlines()
    for line in (
        "commands:",
        "    example             forward pass, gradients three ways, the chain rule and one update",
        "    train               gradient descent: the loss after every step",
        "    explain             the chain rule for one parameter, factor by factor",
        "exit codes:",
        "  0    success",
        "  2    bad usage or input (the message names the option)",
        "  130  interrupted (Ctrl-C); 'train' first prints the losses so far",
        "  141  the reader of the output closed it early (as in: backpropdoc train | head)",
    ):
        assert line in lines


def test_version_comes_from_the_package(capsys):
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert out == f"backpropdoc {backpropdoc.__version__}\n"
    assert backpropdoc.__version__ == importlib.metadata.version("backpropdoc")


X_OVERFLOW = "the numbers overflow float64 with x = (1e+200, 1e+200) and Y = 5; use smaller values"
Y_OVERFLOW = "the numbers overflow float64 with x = (2, 3) and Y = 1e+155; use smaller values"
BAD_INPUT = [
    # (argv, English message, Chinese message); each is the whole of stderr
    (
        ["train", "--param", "w_11^(1)"],
        "backpropdoc train: error: unrecognized arguments: --param w_11^(1)",
        "backpropdoc train：错误：无法识别的参数：--param w_11^(1)",
    ),
    (
        ["explain", "--lr", "0.1"],
        "backpropdoc explain: error: unrecognized arguments: --lr 0.1",
        "backpropdoc explain：错误：无法识别的参数：--lr 0.1",
    ),
    (
        ["--steps", "3"],
        "backpropdoc example: error: unrecognized arguments: --steps 3",
        "backpropdoc example：错误：无法识别的参数：--steps 3",
    ),
    (
        ["fly"],
        "backpropdoc: error: argument {example,train,explain}: invalid choice: 'fly' "
        "(choose from 'example', 'train', 'explain')",
        "backpropdoc：错误：选项 {example,train,explain}：无效的选择：'fly'"
        "（可选：'example', 'train', 'explain'）",
    ),
    (
        ["--x", "1e200", "1e200"],
        f"backpropdoc example: error: argument --x: {X_OVERFLOW}",
        "backpropdoc example：错误：选项 --x：x = (1e+200, 1e+200)、Y = 5 时数值超出 float64 "
        "的范围；请改用更小的值",
    ),
    (
        ["train", "--x", "1e200", "1e200"],
        f"backpropdoc train: error: argument --x: {X_OVERFLOW}",
        "backpropdoc train：错误：选项 --x：x = (1e+200, 1e+200)、Y = 5 时数值超出 float64 "
        "的范围；请改用更小的值",
    ),
    (
        ["explain", "--x", "1e200", "1e200"],
        f"backpropdoc explain: error: argument --x: {X_OVERFLOW}",
        "backpropdoc explain：错误：选项 --x：x = (1e+200, 1e+200)、Y = 5 时数值超出 float64 "
        "的范围；请改用更小的值",
    ),
    (
        ["--Y", "1e155"],
        f"backpropdoc example: error: argument --Y: {Y_OVERFLOW}",
        "backpropdoc example：错误：选项 --Y：x = (2, 3)、Y = 1e+155 时数值超出 float64 "
        "的范围；请改用更小的值",
    ),
    (
        ["train", "--Y", "1e155"],
        f"backpropdoc train: error: argument --Y: {Y_OVERFLOW}",
        "backpropdoc train：错误：选项 --Y：x = (2, 3)、Y = 1e+155 时数值超出 float64 "
        "的范围；请改用更小的值",
    ),
    (
        ["explain", "--x", "1e155", "1e155", "--Y", "-1e155"],
        "backpropdoc explain: error: argument --x/--Y: the numbers overflow float64 with "
        "x = (1e+155, 1e+155) and Y = -1e+155; use smaller values",
        "backpropdoc explain：错误：选项 --x/--Y：x = (1e+155, 1e+155)、Y = -1e+155 时数值超出 "
        "float64 的范围；请改用更小的值",
    ),
    (
        ["--lr", "1e200"],
        "backpropdoc example: error: argument --lr: the update with lr = 1e+200 overflows "
        "float64 for x = (2, 3) and Y = 5; use a smaller --lr (or smaller --x, --Y)",
        "backpropdoc example：错误：选项 --lr：x = (2, 3)、Y = 5 时，学习率 lr = 1e+200 "
        "的更新超出 float64 的范围；请改用更小的 --lr（或更小的 --x、--Y）",
    ),
    (
        ["example", "--lr", "1e101"],  # the update is finite, the loss after it is not
        "backpropdoc example: error: argument --lr: the update with lr = 1e+101 overflows "
        "float64 for x = (2, 3) and Y = 5; use a smaller --lr (or smaller --x, --Y)",
        "backpropdoc example：错误：选项 --lr：x = (2, 3)、Y = 5 时，学习率 lr = 1e+101 "
        "的更新超出 float64 的范围；请改用更小的 --lr（或更小的 --x、--Y）",
    ),
    (
        ["train", "--lr", "1e101"],
        "backpropdoc train: error: argument --lr: gradient descent diverges in step 1 of 5 "
        "with lr = 1e+101 (the numbers overflow float64); use a smaller --lr",
        "backpropdoc train：错误：选项 --lr：学习率 lr = 1e+101 时梯度下降在第 1 步（共 5 步）"
        "发散，数值超出 float64 的范围；请改用更小的 --lr",
    ),
    (
        ["train", "--lr", "1e200", "--steps", "3"],
        "backpropdoc train: error: argument --lr: gradient descent diverges in step 1 of 3 "
        "with lr = 1e+200 (the numbers overflow float64); use a smaller --lr",
        "backpropdoc train：错误：选项 --lr：学习率 lr = 1e+200 时梯度下降在第 1 步（共 3 步）"
        "发散，数值超出 float64 的范围；请改用更小的 --lr",
    ),
    (
        ["--lr", "nan"],
        "backpropdoc example: error: argument --lr: must be a finite number; got 'nan'",
        "backpropdoc example：错误：选项 --lr：必须是有限的数；收到的是 'nan'",
    ),
    (
        ["train", "--lr", ""],
        "backpropdoc train: error: argument --lr: must be a number; got ''",
        "backpropdoc train：错误：选项 --lr：必须是数字；收到的是 ''",
    ),
    (
        ["train", "--lr", "0"],
        "backpropdoc train: error: argument --lr: must be greater than 0; got '0'",
        "backpropdoc train：错误：选项 --lr：必须大于 0；收到的是 '0'",
    ),
    (
        ["--lr", "-0.1"],
        "backpropdoc example: error: argument --lr: must be greater than 0; got '-0.1'",
        "backpropdoc example：错误：选项 --lr：必须大于 0；收到的是 '-0.1'",
    ),
    (
        ["--lr", "fast"],
        "backpropdoc example: error: argument --lr: must be a number; got 'fast'",
        "backpropdoc example：错误：选项 --lr：必须是数字；收到的是 'fast'",
    ),
    (
        ["--x", "1", "inf"],
        "backpropdoc example: error: argument --x: must be a finite number; got 'inf'",
        "backpropdoc example：错误：选项 --x：必须是有限的数；收到的是 'inf'",
    ),
    (
        ["explain", "--x", "1", "1e400"],
        "backpropdoc explain: error: argument --x: must be a finite number; got '1e400'",
        "backpropdoc explain：错误：选项 --x：必须是有限的数；收到的是 '1e400'",
    ),
    (
        ["--x", "1"],
        "backpropdoc example: error: argument --x: expected 2 arguments",
        "backpropdoc example：错误：选项 --x：需要 2 个值",
    ),
    (
        ["train", "--Y", "NaN"],
        "backpropdoc train: error: argument --Y: must be a finite number; got 'NaN'",
        "backpropdoc train：错误：选项 --Y：必须是有限的数；收到的是 'NaN'",
    ),
    (
        ["train", "--Y"],
        "backpropdoc train: error: argument --Y: expected one argument",
        "backpropdoc train：错误：选项 --Y：需要一个值",
    ),
    (
        ["train", "--steps", "0"],
        "backpropdoc train: error: argument --steps: must be at least 1; got '0'",
        "backpropdoc train：错误：选项 --steps：至少为 1；收到的是 '0'",
    ),
    (
        ["train", "--steps", "2.5"],
        "backpropdoc train: error: argument --steps: must be a whole number; got '2.5'",
        "backpropdoc train：错误：选项 --steps：必须是整数；收到的是 '2.5'",
    ),
    (
        ["explain", "--param", "w_45^(1)"],
        "backpropdoc explain: error: argument --param: the 2-3-1 network has no w_45^(1): "
        "j must be 1 … 3",
        "backpropdoc explain：错误：选项 --param：2-3-1 网络没有 w_45^(1)：j 必须在 1 … 3 之间",
    ),
    (
        ["explain", "--param", "w_13^(1)"],
        "backpropdoc explain: error: argument --param: the 2-3-1 network has no w_13^(1): "
        "k must be 1 … 2",
        "backpropdoc explain：错误：选项 --param：2-3-1 网络没有 w_13^(1)：k 必须在 1 … 2 之间",
    ),
    (
        ["--param", "b_1^(3)"],
        "backpropdoc example: error: argument --param: the 2-3-1 network has no b_1^(3): "
        "l must be 1 … 2",
        "backpropdoc example：错误：选项 --param：2-3-1 网络没有 b_1^(3)：l 必须在 1 … 2 之间",
    ),
    (
        ["explain", "--param", "v_1^(1)"],
        "backpropdoc explain: error: argument --param: 'v_1^(1)' is not a parameter: write "
        "w_jk^(l) for a weight or b_j^(l) for a bias, e.g. w_11^(1) or b_1^(2)",
        "backpropdoc explain：错误：选项 --param：'v_1^(1)' 不是参数名：权重写作 w_jk^(l)，"
        "偏置写作 b_j^(l)，例如 w_11^(1) 或 b_1^(2)",
    ),
    (
        ["explain", "--param", ""],
        "backpropdoc explain: error: argument --param: '' is not a parameter: write "
        "w_jk^(l) for a weight or b_j^(l) for a bias, e.g. w_11^(1) or b_1^(2)",
        "backpropdoc explain：错误：选项 --param：'' 不是参数名：权重写作 w_jk^(l)，"
        "偏置写作 b_j^(l)，例如 w_11^(1) 或 b_1^(2)",
    ),
    (
        ["--x", "1", "-inf"],
        "backpropdoc example: error: argument --x: must be a finite number; got '-inf'",
        "backpropdoc example：错误：选项 --x：必须是有限的数；收到的是 '-inf'",
    ),
    (
        ["--lang", "fr"],
        "backpropdoc: error: argument --lang: invalid choice: 'fr' (choose from 'en', 'zh')",
        None,  # no Chinese: the language asked for is not one we have
    ),
    (
        ["--lang"],
        "backpropdoc: error: argument --lang: expected one argument",
        None,
    ),
]


@pytest.mark.parametrize(("argv", "english", "chinese"), BAD_INPUT, ids=lambda v: str(v)[:40])
def test_bad_input_is_one_line_naming_the_option_and_exit_2(argv, english, chinese, capsys):
    assert run(argv, capsys) == (2, "", english + "\n")
    if chinese is not None:
        assert run(["--lang", "zh", *argv], capsys) == (2, "", chinese + "\n")
        assert not re.search(r"[\u4e00-\u9fff][:,;()]", chinese)


@pytest.mark.parametrize(
    "argv",
    [["--x", "1e200", "1e200"], ["--Y", "1e155"], ["--lr", "1e200"], ["train", "--lr", "1e101"]],
)
def test_overflow_from_the_shell_has_no_traceback_and_no_inf(argv):
    result = subprocess.run(
        [sys.executable, "-m", "backpropdoc", *argv], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr and "inf" not in result.stderr


def test_interrupted_training_prints_the_losses_so_far(capsys, monkeypatch):
    def two_steps_then_ctrl_c(*args, on_step, **kwargs):
        on_step(0, 0.5)
        on_step(1, 496.125)
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "train", two_steps_then_ctrl_c)
    code, out, err = run(["train", "--steps", "1000"], capsys)
    assert code == 130
    assert out.splitlines()[3:] == [
        "Training: 1000 steps with lr = 0.5",
        "  step    0: loss = 0.5",
        "  step    1: loss = 496.125",
    ]
    assert err == (
        "backpropdoc train: interrupted after step 1 of 1000; the losses so far are printed\n"
    )
    code, out, err = run(["--lang", "zh", "train", "--steps", "1000"], capsys)
    assert code == 130
    assert out.splitlines()[-1] == "  第    1 步：损失 = 496.125"
    assert err == "backpropdoc train：在第 1 步（共 1000 步）后被中断；已打印到目前为止的损失\n"


def test_ctrl_c_elsewhere_exits_130(capsys, monkeypatch):
    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "explain", ctrl_c)
    assert run(["explain"], capsys) == (130, "", "backpropdoc explain: interrupted\n")


def test_ctrl_c_on_a_terminal_stops_training_cleanly():
    """A real SIGINT to a real process whose stderr is a terminal: a progress bar, then 130."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "backpropdoc", "train", "--lr", "0.02", "--steps", "100000000"],
        stdout=subprocess.PIPE,
        stderr=terminal,
        text=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    os.close(terminal)
    seen = b""

    def read_terminal(until: bytes, timeout: float) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while until not in seen and time.monotonic() < deadline:
            if select.select([controller], [], [], 0.1)[0]:
                try:
                    seen += os.read(controller, 4096)
                except OSError:  # the process has closed the terminal
                    return

    try:
        read_terminal(b"%", timeout=60)  # the bar: training has begun
        assert b"training [" in seen
        process.send_signal(signal.SIGINT)
        # Keep reading the terminal while the process finishes: a full terminal buffer would
        # block its last writes to stderr, and the test would wait for a process that waits
        # for the test (seen on a busy machine).
        drain = threading.Thread(
            target=read_terminal, args=(b"\0 until the end \0", 120), daemon=True
        )
        drain.start()
        out, _ = process.communicate(timeout=120)
        drain.join(timeout=120)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()  # after a timeout, left open it fails a later test (ResourceWarning)
        os.close(controller)
    assert process.returncode == 130
    last = re.search(rb"interrupted after step (\d+) of 100000000", seen)
    assert last is not None, seen[-500:]
    assert b"Traceback" not in seen
    lines = out.splitlines()
    assert lines[3] == "Training: 100000000 steps with lr = 0.02"
    steps = [int(line.split()[1].rstrip(":")) for line in lines[4:]]
    assert steps == list(range(int(last.group(1)) + 1))  # every loss up to the interruption
    assert lines[4] == "  step         0: loss = 0.5"


def test_a_reader_that_leaves_early_gets_no_traceback():
    """`backpropdoc … | head`: our stdout's reader is gone before we write."""
    process = subprocess.Popen(
        [sys.executable, "-m", "backpropdoc", "train", "--steps", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()  # the only reader: the child's first write fails with EPIPE
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (cli.EXIT_BROKEN_PIPE, "")


def test_no_progress_bar_when_stderr_is_not_a_terminal():
    result = subprocess.run(
        [sys.executable, "-m", "backpropdoc", "train", "--steps", "3"],
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1] == "  step 3: loss = 12.5"


def test_progress_bar_draws_and_wipes_itself():
    stream = io.StringIO()
    bar = Progress(stream, "training", total=4, every=3600)
    bar(0, 0.5)
    bar(1, 496.125)  # within `every` of the last drawing: not drawn
    bar(4, 12.5)  # the last step is always drawn
    bar.close()
    assert stream.getvalue() == (
        "\rtraining [..............................]   0% 0/4"
        "\rtraining [##############################] 100% 4/4"
        "\r\x1b[K"
    )


def test_train_reports_every_loss_to_on_step():
    seen = []
    result = train(notebook_network(), [2.0, 3.0], 5.0, 0.02, 6, on_step=lambda *s: seen.append(s))
    assert seen == list(enumerate(result.losses))
    assert len(seen) == 7
