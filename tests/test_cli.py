"""``python -m backpropdoc``: the worked example, training, labels and errors."""

import subprocess
import sys

import pytest

from backpropdoc.cli import main


def test_worked_example(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "z^(1) = (2, 2, 0)   a^(1) = (2, 2, 0)" in out
    assert "loss l = 0.5" in out
    assert "w_12^(1)      -3            -3            -3" in out
    assert "= (-1)(1)(1)(1)(2) = -2" in out
    assert "W^(1): old [[1, 0], [1, 0], [0, 0]] -> new [[2, 1.5], [2, 1.5], [0, 0]]" in out
    assert "loss after the step: 496.125" in out


def test_options_change_the_example(capsys):
    assert main(["--x", "1", "1", "--Y", "3", "--lr", "0.1", "--param", "b_1^(2)"]) == 0
    out = capsys.readouterr().out
    assert "input x = (1, 1), target Y = 3" in out
    assert "∂l/∂b_1^(2) = (y - Y) · relu'(z_1^(2)) · 1 = (-1)(1)(1) = -1" in out


def test_train_prints_the_loss_per_step(capsys):
    assert main(["train", "--lr", "0.5", "--steps", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-3:] == [
        "  step   0: loss = 0.5",
        "  step   1: loss = 496.125",
        "  step   2: loss = 12.5",
    ]


def test_chinese_labels_by_option_and_by_locale(capsys, monkeypatch):
    main(["--lang", "zh"])
    assert "前向传播" in capsys.readouterr().out
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    main(["train", "--steps", "1"])
    assert "损失" in capsys.readouterr().out
    main(["--lang", "en"])
    assert "Forward pass" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lr", "0"], "lr must be greater than 0"),
        (["--lr", "fast"], "lr must be a number"),
        (["--steps", "0"], "steps must be at least 1"),
        (["--x", "1"], "expected 2 arguments"),
        (["--x", "1", "nan"], "x must be finite"),
        (["--param", "w_45^(1)"], "j must be 1"),
        (["--param", "v_1^(1)"], "parameter must look like"),
        (["--lang", "fr"], "invalid choice"),
        (["fly"], "invalid choice"),
    ],
)
def test_bad_options_exit_with_a_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_training_errors_are_reported_without_a_traceback(capsys, monkeypatch):
    def diverge(*args, **kwargs):
        raise ValueError("the loss became inf after 3 steps with lr=9: try a smaller lr")

    monkeypatch.setattr("backpropdoc.cli.train", diverge)
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--lr", "9"])
    assert exit_info.value.code == 1
    assert capsys.readouterr().err == (
        "backpropdoc: error: the loss became inf after 3 steps with lr=9: try a smaller lr\n"
    )


def test_module_and_help_run_as_programs():
    result = subprocess.run(
        [sys.executable, "-m", "backpropdoc", "--help"], capture_output=True, text=True, check=True
    )
    assert "learning rate" in result.stdout
    assert "backpropdoc train --lr 0.02 --steps 20" in result.stdout
